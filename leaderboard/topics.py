"""Which topics each unit is weak in: correct answers ÷ answers, per unit and topic.

One grouped query joining the answers of counted attempts to their questions' topics.
"""

from django.db.models import Count, F, Q

from contest.models import Answer
from leaderboard.rankings import filtered_by
from leaderboard.scopes import Filters, RankingScope
from quizbank.models import Topic

_UNIT_FIELD = {
    "class": "attempt__student__school_class_id",
    "school": "attempt__student__school_id",
    "commune": "attempt__student__school__commune_id",
    "province": "attempt__student__school__commune__parent_id",
}


def topic_breakdown(scope: RankingScope, filters: Filters, *, unit: str = "school", unit_ids=None) -> dict:
    """``{"topics": {id: name}, "overall": {topic: (answers, correct)},
    "units": {unit_id: [(topic_id, answers, correct, rate), ...] weakest first}}``."""
    qs = Answer.objects.filter(
        attempt__round_id__in=scope.round_ids,
        attempt__counted=True,
        attempt__disqualified=False,
        attempt__student__isnull=False,
        question_version__question__topics__isnull=False,
    )
    qs = filtered_by(qs, filters, prefix="attempt__student__")
    if unit_ids is not None:
        qs = qs.filter(**{f"{_UNIT_FIELD[unit]}__in": list(unit_ids)})
    grouped = (
        qs.values(u=F(_UNIT_FIELD[unit]), topic=F("question_version__question__topics"))
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(correct=True)))
        .order_by()
    )
    units: dict[int, list] = {}
    overall: dict[int, list[int]] = {}
    for row in grouped:
        units.setdefault(row["u"], []).append((row["topic"], row["n"], row["ok"], row["ok"] / row["n"]))
        acc = overall.setdefault(row["topic"], [0, 0])
        acc[0] += row["n"]
        acc[1] += row["ok"]
    for rows in units.values():
        rows.sort(key=lambda r: (r[3], -r[1], r[0]))
    names = dict(Topic.objects.filter(pk__in=list(overall)).values_list("pk", "name_vi"))
    return {"topics": names, "overall": {t: tuple(v) for t, v in overall.items()}, "units": units}
