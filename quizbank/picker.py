"""The question picker shared by the live game builder, the organisers' round questions and the
teachers' class round form: one page of the approved questions a user may pick, filtered by a
search, topic, difficulty, type and language; the list is swapped in without reloading the page
(``quizbank:pick``, ``quizbank/static/quizbank/picker.js``)."""

from django.core.paginator import Paginator

from quizbank.models import Difficulty, Language, QType
from quizbank.selectors import search_questions, topic_tree

PICK_PAGE_SIZE = 50
MAX_TICKED = 500


def pick_filters(params) -> dict:
    """The picker's filters from a query string; unknown values are dropped, not errors."""
    difficulty = params.get("difficulty", "")
    qtype = params.get("qtype", "")
    language = params.get("language", "")
    return {
        "q": params.get("q", "").strip()[:200],
        "topic": params.get("topic", "").strip()[:80],
        "qtype": qtype if qtype in QType.values else "",
        "difficulty": difficulty if difficulty.isdigit() and int(difficulty) in Difficulty.values else "",
        "language": language if language in Language.values else "",
        "official": "1" if params.get("official") == "1" else "",
    }


def pickable(user, *, official: bool = False):
    """Every question the user may pick: approved, with a current version; for a contest
    round only the official bank's (the services check the same again on save)."""
    qs = search_questions(user, status="approved", owner="official" if official else None)
    return qs.filter(current_version__isnull=False)


def pick_page(user, params) -> dict:
    """One page of the pickable questions matching ``params`` (filters and ``page``)."""
    filters = pick_filters(params)
    qs = (
        search_questions(
            user,
            q=filters["q"],
            topic=filters["topic"] or None,
            qtype=filters["qtype"] or None,
            difficulty=filters["difficulty"] or None,
            language=filters["language"] or None,
            status="approved",
            owner="official" if filters["official"] else None,
        )
        .filter(current_version__isnull=False)
        .select_related("current_version")
        .order_by("-id")
    )
    page = Paginator(qs, PICK_PAGE_SIZE).get_page(params.get("page"))
    return {"page": page, "questions": list(page.object_list), "filters": filters}


def ticked_ids(post) -> list[int]:
    """The ticked questions of a posted picker, in the order they were ticked (``pick_order``,
    kept by the script) and then any other ``questions`` value; duplicates once."""
    values = [v for v in (post.get("pick_order") or "").split(",") if v] + post.getlist("questions")
    ticked = set(post.getlist("questions"))
    out: list[int] = []
    for value in values:
        if value.isdigit() and value in ticked and int(value) not in out:
            out.append(int(value))
    return out[:MAX_TICKED]


def picker_context(user, params, *, chosen_ids=(), official: bool = False) -> dict:
    """What the picker's templates need: the first page for ``params``, the filter choices and
    the ticked questions (those not on the page shown become hidden inputs)."""
    if official:
        params = params.copy()
        params["official"] = "1"
    pick = pick_page(user, params)
    chosen = [str(i) for i in chosen_ids]
    shown = {q.pk for q in pick["questions"]}
    hidden_ids = [int(i) for i in chosen if int(i) not in shown]
    found = {q.pk: q for q in pickable(user, official=official).filter(pk__in=hidden_ids)}
    return {
        **pick,
        "chosen": set(chosen),
        "chosen_order": ",".join(chosen),
        "chosen_hidden": [found[i] for i in hidden_ids if i in found],
        "topics": topic_tree(),
        "qtypes": QType.choices,
        "difficulties": Difficulty.choices,
        "languages": Language.choices,
    }
