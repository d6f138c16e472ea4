"""What a student may see of a question, and what the reveal shows afterwards.

``student_payload`` is the only way question content reaches a student (REST, websocket,
page): it never carries correctness, weights, accepted answers or the explanation (DESIGN
invariant 4). ``reveal_payload`` is for after the reveal policy allows it.
"""

from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from quizbank.rendering import render_inline, render_markdown


def _image_url(version) -> str | None:
    return version.image.url if version.image else None


def _ordered_choices(version, choice_order: list[str] | None) -> list[dict]:
    by_id = {c["id"]: c for c in version.choices}
    if choice_order is None:
        if version.qtype == "ordering":
            # The stored order is the answer; ids are random tokens, so their sort order is not.
            return [by_id[i] for i in sorted(by_id)]
        return list(version.choices)
    if sorted(choice_order) != sorted(by_id):
        raise ValidationFailed(_("Thứ tự phương án không khớp với câu hỏi."), code="bad_choice_order")
    return [by_id[i] for i in choice_order]


def _choice(version, c: dict) -> dict:
    out = {"id": c["id"], "html": render_inline(c["text"])}
    if version.qtype == "truefalse":
        # What a true/false choice means is its stored position ("true" first, see
        # quizbank.formats.base); its id is a random token and says nothing.
        out["truth"] = bool(version.choices) and c["id"] == version.choices[0]["id"]
    return out


def student_payload(version, *, choice_order: list[str] | None = None) -> dict:
    """The question as a student sees it, choices in ``choice_order`` (a per-attempt shuffle).

    Ordering questions must be given a shuffled ``choice_order``; without one they fall back to
    a stable order that is not the answer. A true/false choice carries ``truth`` (which of the
    two statements it is, not whether it is correct).
    """
    return {
        "id": version.id,
        "question_id": version.question_id,
        "type": version.qtype,
        "language": version.language,
        "stem_html": render_markdown(version.stem),
        "choices": [_choice(version, c) for c in _ordered_choices(version, choice_order)],
        "image": _image_url(version),
        "time_limit_s": version.time_limit_s,
    }


def correct_response(version) -> dict:
    """The correct answer, in the shape of a response (see ``quizbank.grading``)."""
    qtype = version.qtype
    if qtype in ("single", "truefalse"):
        ids = version.correct_ids()
        return {"choice": ids[0] if ids else None}
    if qtype == "multiple":
        return {"choices": version.correct_ids()}
    if qtype == "short":
        accepted = list(version.answer.get("accepted", []))
        return {"text": accepted[0] if accepted else "", "accepted": accepted}
    if qtype == "numeric":
        return {"value": version.answer.get("value"), "tolerance": version.answer.get("tolerance", 0)}
    return {"order": version.choice_ids()}


def reveal_payload(version) -> dict:
    """The correct answer(s) and the explanation, for after the reveal policy allows it."""
    return {
        "id": version.id,
        "question_id": version.question_id,
        "type": version.qtype,
        "correct": correct_response(version),
        "correct_choices": version.correct_ids() if version.qtype != "ordering" else version.choice_ids(),
        "explanation_html": render_markdown(version.explanation),
        "source": version.source,
    }
