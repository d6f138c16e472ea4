"""Answer tiles drawn by the server, the same as ``live/static/live/common.js`` draws them.

A phone that opens or reloads the game page mid-question shows the question and its tiles in
the first HTML, before any script has run; the script takes over once it has joined. Keep the
colours and shapes in step with ``TILES`` in common.js.
"""

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

TILES = [
    ("red", '<polygon points="18,3 34,32 2,32"/>'),
    ("blue", '<polygon points="18,2 34,18 18,34 2,18"/>'),
    ("yellow", '<circle cx="18" cy="18" r="15"/>'),
    ("green", '<rect x="4" y="4" width="28" height="28"/>'),
    ("purple", '<polygon points="18,2 22,13 34,13 24,21 28,33 18,26 8,33 12,21 2,13 14,13"/>'),
    ("teal", '<polygon points="10,3 26,3 34,18 26,33 10,33 2,18"/>'),
    ("orange", '<polygon points="13,2 23,2 23,13 34,13 34,23 23,23 23,34 13,34 13,23 2,23 2,13 13,13"/>'),
    ("pink", '<polygon points="2,8 34,8 18,32"/>'),
]
TILE_TYPES = ("single", "truefalse", "multiple")
LONG_CHOICE = 28  # characters: longer choices stack one under the other (as in play.js)


def shape_names() -> list[str]:
    return [
        _("tam giác"),
        _("hình thoi"),
        _("hình tròn"),
        _("hình vuông"),
        _("ngôi sao"),
        _("lục giác"),
        _("chữ thập"),
        _("tam giác ngược"),
    ]


def _choice_html(choice: dict, qtype: str) -> str:
    html = (choice.get("html") or "").strip()
    if html:
        return html  # sanitised when the question was saved, as the socket sends it
    if qtype == "truefalse":
        return str(_("Đúng") if choice["id"] == "true" else _("Sai"))
    return ""


def question_tiles(question: dict) -> dict | None:
    """The tiles of a ``question_block`` (live/frames.py), or None for a question typed in."""
    qtype = question.get("type")
    if qtype not in TILE_TYPES:
        return None
    names = shape_names()
    tiles = []
    for i, choice in enumerate(question.get("choices", [])):
        colour, shape = TILES[i % len(TILES)]
        html = _choice_html(choice, qtype)
        tiles.append(
            {
                "id": choice["id"],
                "colour": colour,
                "shape": mark_safe(shape),  # noqa: S308 - constant markup above
                "name": names[i % len(names)],
                "html": mark_safe(html),  # noqa: S308 - sanitised at save (see above)
                "text": strip_tags(html).strip() or choice["id"],
            }
        )
    long = any(len(t["text"]) > LONG_CHOICE for t in tiles)
    return {"tiles": tiles, "long": long, "multiple": qtype == "multiple"}
