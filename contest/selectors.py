"""Reads of the contest app: attempt state, student round lists, boards, the monitor."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Trunc
from django.utils import timezone

from contest.models import Answer, AnswerLog, Attempt, AttemptStatus, Contest, Round
from contest.presentation import attempt_payload, ms
from contest.scope import managed_contests, playable_rounds
from contest.versions import versions_by_id
from core import pagecache
from schools.selectors import public_name, student_of


def attempt_state(attempt: Attempt, *, level: int | None = None) -> dict:
    """The student's full view of an attempt (the reconnect snapshot). Two queries at most:
    the answers, and the versions not yet cached."""
    answers = {a.question_version_id: a for a in Answer.objects.filter(attempt=attempt)}
    versions = versions_by_id(attempt.question_order)
    return attempt_payload(attempt, versions, answers, level=level)


def user_attempts(user, round_: Round) -> list[Attempt]:
    return list(Attempt.objects.filter(round=round_, user=user).order_by("number"))


def audience_rounds(user) -> list[Round]:
    """The window rounds the user may take as a student (``playable_rounds``), in closing order.

    Shared by every pupil of the same class and grade through the page cache (topic ``ROUNDS``,
    bumped by the services that create or edit contests and rounds): whether a round is open
    is decided by the caller against the clock, so opening and closing times need no bump.
    """
    student = student_of(user)
    if student is None or not student.is_verified:
        return []
    audience = f"{student.school_id}:{student.school_class_id}:{student.grade}"
    return pagecache.cached(
        pagecache.ROUNDS, f"audience:{audience}", lambda: list(playable_rounds(user).order_by("closes_at", "pk"))
    )


def student_rounds(user, now: datetime.datetime | None = None) -> dict[str, list[Round]]:
    """The student's rounds grouped as open / upcoming / past, each with their attempts."""
    now = now or timezone.now()
    rounds = audience_rounds(user)
    mine: dict[int, list[Attempt]] = {}
    for a in Attempt.objects.filter(user=user, round__in=rounds).order_by("number"):
        mine.setdefault(a.round_id, []).append(a)
    out: dict[str, list[Round]] = {"open": [], "upcoming": [], "past": []}
    for r in rounds:
        r.my_attempts = mine.get(r.pk, [])
        r.my_running = next((a for a in r.my_attempts if a.status == AttemptStatus.IN_PROGRESS), None)
        if r.is_open(now):
            out["open"].append(r)
        elif now < r.opens_at:
            out["upcoming"].append(r)
        else:
            out["past"].append(r)
    out["past"].reverse()
    return out


def board_live(round_: Round, *, limit: int = 10) -> QuerySet[Attempt]:
    """Counted attempts in live order (score, time used, submit time): no prediction yet."""
    return (
        Attempt.objects.filter(round=round_, counted=True)
        .select_related("student__school", "student__school_class", "user")
        .order_by("-score", "time_used_ms", "submitted_at", "pk")[:limit]
    )


def board_final(round_: Round) -> QuerySet[Attempt]:
    """The stored final standings (after close), in rank order."""
    return (
        Attempt.objects.filter(round=round_, counted=True, rank__isnull=False)
        .select_related("student__school", "student__school_class", "user")
        .order_by("rank", "pk")
    )


def display_name(attempt: Attempt, *, public: bool) -> str:
    if attempt.student is None:
        return attempt.user.get_full_name() or attempt.user.username if attempt.user else "?"
    return public_name(attempt.student) if public else attempt.student.full_name


def monitor_stats(round_: Round, *, now: datetime.datetime | None = None, top: int = 10) -> dict:
    """The organiser's live monitor: attempts by state, answers per minute, top of the board.

    A fixed number of queries whatever the round's size (aggregates over indexed columns).
    """
    now = now or timezone.now()
    agg = Attempt.objects.filter(round=round_).aggregate(
        started=Count("pk"),
        in_progress=Count("pk", filter=Q(status=AttemptStatus.IN_PROGRESS)),
        submitted=Count("pk", filter=Q(status=AttemptStatus.SUBMITTED)),
        expired=Count("pk", filter=Q(status=AttemptStatus.EXPIRED)),
        students=Count("user", distinct=True),
    )
    since = (now - datetime.timedelta(minutes=10)).replace(second=0, microsecond=0)
    per_minute = {
        row["minute"]: row["n"]
        for row in AnswerLog.objects.filter(attempt__round=round_, received_at__gte=since)
        .annotate(minute=Trunc("received_at", "minute"))
        .values("minute")
        .annotate(n=Count("pk"))
    }
    minutes = []
    for i in range(10, -1, -1):
        minute = (now - datetime.timedelta(minutes=i)).replace(second=0, microsecond=0)
        minutes.append({"t": ms(minute), "n": next((n for m, n in per_minute.items() if _same_minute(m, minute)), 0)})
    board = [
        {
            "name": display_name(a, public=False),
            "school": a.student.school.name if a.student else "",
            "class": a.student.school_class.name if a.student and a.student.school_class else "",
            "score": a.score,
            "time_used_ms": a.time_used_ms,
        }
        for a in board_live(round_, limit=top)
    ]
    return {
        "round": round_.pk,
        "state": round_.state(now),
        "counts": agg,
        "per_minute": minutes,
        "top": board,
    }


def _same_minute(a: datetime.datetime, b: datetime.datetime) -> bool:
    return abs((a - b).total_seconds()) < 1


def contests_for_manager(user) -> QuerySet[Contest]:
    return managed_contests(user).select_related("region").annotate(round_count=Count("rounds"))
