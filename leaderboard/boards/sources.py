"""Board entries computed from the database alone (the record; Redis is only a copy).

Live rule, per user of a round (the same rule the incremental updates follow):
- closed attempts count through ``Attempt.counted`` (the attempts policy's best), or, in a
  practice round where nothing is counted, the best closed attempt;
- while the round's reveal policy shows scores during attempts, the running attempt is on
  the board too; the user's entry is the better of the two by the format's live order;
- disqualified attempts never appear. Once the round is finalized, the order is the
  format's final order (with the prediction error).

Frozen rule: the board as it stood at ``board_freeze_at``: attempts closed by then (the best
per user), and attempts running then with their score at that instant, recomputed from the
append-only answer log, so a frozen board rebuilds exactly too.
"""

import datetime

from django.db.models import Q

from contest.models import AnswerLog, Attempt, AttemptStatus, Round
from contest.policies import live_scoring
from contest.scoring import Standing, format_for
from contest.services.grading import attempt_totals, score_response
from contest.versions import versions_by_id
from core.errors import ValidationFailed
from leaderboard.boards.entry import Entry, rank_key, scaled

CLOSED = (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED)
FIELDS = (
    "pk",
    "user_id",
    "score",
    "time_used_ms",
    "submitted_at",
    "prediction_error",
    "status",
    "started_at",
    "last_answer_at",
    "counted",
    "student__school_class_id",
    "student__school_id",
    "student__school__commune_id",
)
_FAR = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def _ms(moment: datetime.datetime | None) -> int | None:
    return int(moment.timestamp() * 1000) if moment is not None else None


def units_of(class_id, school_id, commune_id) -> tuple[str, str, str]:
    return tuple("" if v is None else str(v) for v in (class_id, school_id, commune_id))


def make_entry(round_: Round, fmt, *, final: bool, row: dict, score=None, running=False) -> Entry:
    """The entry of one attempt row (``FIELDS`` as a dict). ``running``: in progress (at the
    freeze), so it has no time used or submit time yet."""
    score = row["score"] if score is None else score
    time_used = None if running else row["time_used_ms"]
    submitted = None if running else _ms(row["submitted_at"])
    standing = Standing(
        score=score,
        time_used_ms=time_used,
        submitted_at_ms=submitted,
        prediction_error=row["prediction_error"] if final else None,
    )
    return Entry(
        member=str(row["user_id"]),
        attempt=row["pk"],
        key=rank_key(fmt.rank_key(standing, final=final)),
        score=scaled(score),
        # Contest totals add time used; a running attempt counts its whole allowance.
        time_ms=time_used if time_used is not None else round_.duration_s * 1000,
        units=units_of(row["student__school_class_id"], row["student__school_id"], row["student__school__commune_id"]),
    )


def _best_closed(rows: list[dict]) -> dict | None:
    """The attempt the attempts policy would count among ``rows`` (best score, earliest)."""
    return min(rows, key=lambda r: (-r["score"], r["submitted_at"] or _FAR, r["pk"]), default=None)


def live_entries(round_: Round, *, user_id: int | None = None) -> list[Entry]:
    """Every user's live entry (or only ``user_id``'s) from the stored attempts."""
    final = round_.finalized_at is not None
    fmt = format_for(round_)
    closed = Q(status__in=CLOSED)
    if round_.counts:
        closed &= Q(counted=True)
    cond = closed | Q(status=AttemptStatus.IN_PROGRESS) if live_scoring(round_) and not final else closed
    qs = Attempt.objects.filter(cond, round=round_, disqualified=False, user__isnull=False)
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    by_user: dict[int, list[dict]] = {}
    for values in qs.order_by().values_list(*FIELDS):
        row = dict(zip(FIELDS, values, strict=True))
        by_user.setdefault(row["user_id"], []).append(row)
    out = []
    for rows in by_user.values():
        candidates = [r for r in rows if r["status"] == AttemptStatus.IN_PROGRESS]
        done = [r for r in rows if r["status"] != AttemptStatus.IN_PROGRESS]
        best = _best_closed(done)
        if best is not None:
            candidates.append(best)
        entries = [
            make_entry(round_, fmt, final=final, row=r, running=r["status"] == AttemptStatus.IN_PROGRESS)
            for r in candidates
        ]
        out.append(min(entries, key=lambda e: e.key))
    return out


def _scores_at(round_: Round, fmt, attempts: list[dict], moment: datetime.datetime) -> dict[int, float]:
    """Each running attempt's score at ``moment``, from the answer log (responses received by
    then, the last per question), scored the way the write path scored them."""
    if not attempts:
        return {}
    latest: dict[int, dict[int, tuple]] = {}
    for attempt_id, version_id, response, received_at in (
        AnswerLog.objects.filter(attempt_id__in=[a["pk"] for a in attempts], received_at__lte=moment)
        .order_by("id")
        .values_list("attempt_id", "question_version_id", "response", "received_at")
    ):
        latest.setdefault(attempt_id, {})[version_id] = (response, received_at)
    versions = versions_by_id({v for per in latest.values() for v in per})
    full = {a.pk: a for a in Attempt.objects.filter(pk__in=list(latest))}
    out = {}
    for attempt_id, per in latest.items():
        attempt = full[attempt_id]
        scored = {}
        for version_id, (response, received_at) in per.items():
            try:
                result, points = score_response(fmt, round_, attempt, versions[version_id], response, received_at)
                scored[version_id] = (result.correct, points)
            except ValidationFailed:
                scored[version_id] = (False, 0.0)
        out[attempt_id] = attempt_totals(fmt, attempt, scored)[0]
    return out


def frozen_entries(round_: Round) -> list[Entry]:
    """Every user's entry as the board stood at ``round_.board_freeze_at``."""
    moment = round_.board_freeze_at
    fmt = format_for(round_)
    qs = Attempt.objects.filter(round=round_, disqualified=False, user__isnull=False, started_at__lte=moment)
    by_user: dict[int, list[dict]] = {}
    for values in qs.order_by().values_list(*FIELDS):
        row = dict(zip(FIELDS, values, strict=True))
        by_user.setdefault(row["user_id"], []).append(row)
    shows_running = live_scoring(round_)
    running = [
        r
        for rows in by_user.values()
        for r in rows
        if shows_running and (r["submitted_at"] is None or r["submitted_at"] > moment)
    ]
    # Attempts that answered nothing after the freeze still have their score of then.
    stale = [r for r in running if r["last_answer_at"] is not None and r["last_answer_at"] > moment]
    stale_ids = {r["pk"] for r in stale}
    at_freeze = _scores_at(round_, fmt, stale, moment)
    out = []
    for rows in by_user.values():
        done = [
            r for r in rows if r["status"] in CLOSED and r["submitted_at"] is not None and r["submitted_at"] <= moment
        ]
        entries = []
        best = _best_closed(done)
        if best is not None:
            entries.append(make_entry(round_, fmt, final=False, row=best))
        for r in rows:
            if shows_running and (r["submitted_at"] is None or r["submitted_at"] > moment):
                score = at_freeze.get(r["pk"], 0.0) if r["pk"] in stale_ids else r["score"]
                entries.append(make_entry(round_, fmt, final=False, row=r, score=score, running=True))
        if entries:
            out.append(min(entries, key=lambda e: e.key))
    return out
