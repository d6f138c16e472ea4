"""Individual rankings and prize allocation.

- One round: the counted attempts in the round format's order; once the round is finalized,
  the stored final ranks (score, prediction error, time used, submit time) are the order.
- Several rounds or the year: a student's result is their best attempt per round (the
  counted one), summed; more points first, then the contest's ``tiebreak`` (the organiser's
  choice): ``prediction``: fewer missing predictions (in finalized rounds that ask one),
  then the smaller summed prediction error, then less total time; ``time``: less total
  time. One SQL query with a ``RANK()`` window.
Equal keys share a rank and the next rank skips (1, 1, 3). Disqualified attempts never rank.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, Rank

from contest.models import Attempt, Tiebreak
from contest.scoring import format_for, ranks
from contest.services.standings import standing
from leaderboard.boards.entry import SUMMED_ORDER
from leaderboard.scopes import Filters, RankingScope
from schools.models import Student
from schools.selectors import public_name


@dataclass
class IndividualRow:
    rank: int
    student_id: int
    user_id: int
    score: float
    time_ms: int
    rounds: int
    attempt_id: int | None = None  # one round: the attempt that counts (for review)
    prediction_error: int | None = None
    name: str = ""
    public_name: str = ""
    class_name: str = ""
    school_name: str = ""
    school_id: int | None = None
    commune_name: str = ""
    grade: int | None = None
    prize: str = ""


def filtered_by(qs, filters: Filters, prefix: str = "student__"):
    grades = filters.student_grades()
    if grades is not None:
        qs = qs.filter(**{f"{prefix}grade__in": grades})
    if filters.commune_id is not None:
        qs = qs.filter(**{f"{prefix}school__commune_id": filters.commune_id})
    return qs


def _counted(scope: RankingScope, filters: Filters):
    qs = Attempt.objects.filter(round_id__in=scope.round_ids, counted=True, disqualified=False, student__isnull=False)
    return filtered_by(qs, filters)


def individual_ranking(scope: RankingScope, filters: Filters, *, max_rank: int | None = None) -> list[IndividualRow]:
    """The ranking in order; ``max_rank`` keeps only rows ranked at most that (ties kept)."""
    round_ = scope.single
    if round_ is not None:
        rows = _single_round(round_, scope, filters)
    else:
        rows = _summed(scope, filters, max_rank)
    if max_rank is not None:
        rows = [r for r in rows if r.rank <= max_rank]
    _describe(rows)
    return rows


def _single_round(round_, scope, filters) -> list[IndividualRow]:
    attempts = list(
        _counted(scope, filters).only(
            "pk", "user_id", "student_id", "score", "time_used_ms", "submitted_at", "prediction_error", "rank"
        )
    )
    if round_.finalized_at is not None:
        key = lambda a: (a.rank if a.rank is not None else 2**62,)  # noqa: E731 - the stored order
    else:
        fmt = format_for(round_)
        key = lambda a: fmt.rank_key(standing(a), final=False)  # noqa: E731
    return [
        IndividualRow(
            rank=rank,
            student_id=a.student_id,
            user_id=a.user_id,
            score=a.score,
            time_ms=a.time_used_ms or 0,
            rounds=1,
            attempt_id=a.pk,
            prediction_error=a.prediction_error,
        )
        for rank, a in ranks(sorted(attempts, key=lambda a: a.pk), key=key)
    ]


def _summed_order() -> list:
    """``SUMMED_ORDER`` on the columns ``_summed`` aggregates (the boards' order, in SQL)."""
    columns = {"score": "total", "time_ms": "tu"}
    return [F(columns[f[1:]]).desc() if f.startswith("-") else F(columns[f]).asc() for f in SUMMED_ORDER]


def _summed(scope, filters, max_rank) -> list[IndividualRow]:
    by_prediction = scope.contest.tiebreak == Tiebreak.PREDICTION
    # A prediction the student did not make, in a finalized round that asks one, counts as
    # missing: among equal totals, students who made every prediction come first.
    asked = Q(prediction_error__isnull=True, round__finalized_at__isnull=False) & ~Q(round__prediction_kind="")
    order = _summed_order()  # the boards' order (SUMMED_ORDER)...
    if by_prediction:  # ...with the prediction tiebreak between the score and the time
        order[1:1] = [F("missing").asc(), F("err").asc()]
    qs = (
        _counted(scope, filters)
        .values("student_id", "user_id")
        .annotate(
            total=Sum("score"),
            tu=Sum(Coalesce("time_used_ms", Value(0))),
            n=Count("pk"),
            missing=Count("pk", filter=asked),
            err=Sum(Coalesce("prediction_error", Value(0))),
        )
        .annotate(rank=Window(Rank(), order_by=order))
        .order_by("rank", "student_id")
    )
    if max_rank is not None:
        qs = qs.filter(rank__lte=max_rank)
    return [
        IndividualRow(
            rank=r["rank"],
            student_id=r["student_id"],
            user_id=r["user_id"],
            score=round(r["total"], 4),
            time_ms=r["tu"],
            rounds=r["n"],
            prediction_error=r["err"] if by_prediction and not r["missing"] else None,
        )
        for r in qs
    ]


def _describe(rows: list[IndividualRow]) -> None:
    """Names, class, school and commune of each row (one query per 2,000 rows)."""
    ids = [r.student_id for r in rows]
    found: dict[int, Student] = {}
    for start in range(0, len(ids), 2000):
        for s in Student.objects.filter(pk__in=ids[start : start + 2000]).select_related(
            "school__commune", "school_class"
        ):
            found[s.pk] = s
    for row in rows:
        s = found.get(row.student_id)
        if s is None:
            continue
        row.name = s.full_name
        row.public_name = public_name(s)
        row.class_name = s.school_class.name if s.school_class else ""
        row.school_name = s.school.name
        row.school_id = s.school_id
        row.commune_name = s.school.commune.name
        row.grade = s.grade


def prize_limit(tiers: list[dict]) -> int:
    return sum(int(t.get("count") or 0) for t in tiers)


def prize_for_rank(rank: int, tiers: list[dict]) -> str:
    """The tier of a rank: the first tier whose cumulative count reaches it.

    Ties are included at a boundary: with tiers of 1 and 3 and ranks 1, 1, 3, 4, 4, 6, both
    rank-1 rows get the first tier and ranks 3, 4, 4 the second (ranks up to 1 + 3 = 4).
    """
    reached = 0
    for tier in tiers:
        reached += int(tier.get("count") or 0)
        if int(tier.get("count") or 0) > 0 and rank <= reached:
            return tier["name"]
    return ""


def allocate(rows, tiers: list[dict], *, score=lambda r: r.score, min_score: float | None = None) -> None:
    """Set ``row.prize`` for each ranked row; a row with no points wins nothing, nor one below
    ``min_score``. A row below the minimum keeps its rank and the tiers are not shifted up: it
    leaves its prize unawarded (the contest rules' "no prize below N points")."""
    for row in rows:
        value = score(row) or 0
        eligible = value > 0 and (min_score is None or value >= min_score)
        row.prize = prize_for_rank(row.rank, tiers) if eligible else ""


def allocate_individual(rows, contest) -> None:
    """The contest's individual prizes, with its minimum score: the one rule every ranking,
    preview and publication of pupils uses."""
    allocate(rows, contest.individual_prizes or [], min_score=contest.prize_min_score)


def prize_points(contest, prize: str) -> float:
    return float((contest.prize_points or {}).get(prize, 0) or 0) if prize else 0.0


__all__ = [
    "IndividualRow",
    "allocate",
    "allocate_individual",
    "individual_ranking",
    "prize_for_rank",
    "prize_limit",
    "prize_points",
]
