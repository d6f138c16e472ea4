"""Keeping live boards equal to the database: rebuilds, the attempt hook, frozen views.

Scopes: ``r{id}`` (a round), ``c{id}`` (a contest: best per round, summed over its counting
rounds), and the frozen views ``fc{contest}`` with ``fc{contest}.r{round}`` (or ``fr{round}``
for a round outside a contest), built on demand from the database as it stood at each
round's ``board_freeze_at``.

A scope without meta has never been built, or Redis was flushed: the next update or read
rebuilds it from the database first, so a flush heals itself; ``manage.py rebuild_boards``
does the same on demand.
"""

import logging
import threading
import time

from django.utils import timezone

from contest import hooks
from contest.models import Attempt, AttemptStatus, Contest, Round
from contest.scoring import format_for
from core.errors import is_infrastructure_error
from leaderboard.boards import get_backend, outage, sources
from leaderboard.boards.freeze import frozen_rounds, is_frozen
from leaderboard.boards.queue import BoardQueue

logger = logging.getLogger(__name__)


def round_scope(round_id: int) -> str:
    return f"r{round_id}"


def contest_scope(contest_id: int) -> str:
    return f"c{contest_id}"


def frozen_contest_scope(contest_id: int) -> str:
    return f"fc{contest_id}"


def frozen_round_scope(round_: Round) -> str:
    return f"fc{round_.contest_id}.r{round_.pk}" if round_.contest_id else f"fr{round_.pk}"


def parent_of(round_: Round) -> str:
    """The contest scope a round adds to: only the counting rounds of a contest."""
    return contest_scope(round_.contest_id) if round_.contest_id and round_.counts else ""


def _mode(round_: Round) -> str:
    return "final" if round_.finalized_at is not None else "live"


def rebuild_round(round_: Round) -> None:
    """Rebuild one round's boards (and its share of the contest totals) from the database."""
    backend = get_backend()
    scope, parent = round_scope(round_.pk), parent_of(round_)
    if parent and not backend.meta(parent):
        rebuild_contest(round_.contest)
        return
    # Take the round's old entries out of the contest totals before dropping them.
    backend.set_entries(scope, parent, [(member, None) for member in backend.entries(scope)])
    backend.clear(scope)
    backend.set_entries(scope, parent, [(e.member, e) for e in sources.live_entries(round_)])
    backend.set_meta(scope, {"mode": _mode(round_), "built": time.time()})


def rebuild_contest(contest: Contest) -> None:
    """Rebuild every board of a contest and of all its rounds from the database."""
    backend = get_backend()
    rounds = list(Round.objects.filter(contest=contest).order_by("pk"))
    backend.clear(contest_scope(contest.pk))
    for round_ in rounds:
        backend.clear(round_scope(round_.pk))
    for round_ in rounds:
        scope = round_scope(round_.pk)
        backend.set_entries(scope, parent_of(round_), [(e.member, e) for e in sources.live_entries(round_)])
        backend.set_meta(scope, {"mode": _mode(round_), "built": time.time()})
    backend.set_meta(contest_scope(contest.pk), {"built": time.time()})
    invalidate_frozen(contest_id=contest.pk)


def rebuild_all() -> int:
    count = 0
    for contest in Contest.objects.order_by("pk"):
        rebuild_contest(contest)
        count += 1
    for round_ in Round.objects.filter(contest__isnull=True).order_by("pk"):
        rebuild_round(round_)
        count += 1
    return count


def ensure_round(round_: Round) -> None:
    backend = get_backend()
    parent = parent_of(round_)
    meta = backend.meta(round_scope(round_.pk))
    if parent and not backend.meta(parent):
        rebuild_contest(round_.contest)
    elif meta.get("mode") != _mode(round_):
        rebuild_round(round_)


def ensure_contest(contest: Contest) -> None:
    if not get_backend().meta(contest_scope(contest.pk)):
        rebuild_contest(contest)


# --- the attempt hook ------------------------------------------------------------------------
_rounds: dict[int, tuple[float, Round]] = {}
_rounds_lock = threading.Lock()
ROUND_TTL_S = 2.0


def _round_of(attempt: Attempt) -> Round:
    """The attempt's round, cached briefly: finalizing a round calls the hook once per attempt.

    A cached round that is not finalized while the attempt carries a final rank is stale
    (the ranks are stored by the finalization), so it is read again.
    """
    cached = attempt._state.fields_cache.get("round")
    if cached is not None:
        return cached
    now = time.monotonic()
    with _rounds_lock:
        hit = _rounds.get(attempt.round_id)
    if (
        hit is not None
        and now - hit[0] < ROUND_TTL_S
        and not (hit[1].finalized_at is None and attempt.rank is not None)
    ):
        return hit[1]
    round_ = Round.objects.get(pk=attempt.round_id)
    with _rounds_lock:
        if len(_rounds) > 1000:
            _rounds.clear()
        _rounds[round_.pk] = (now, round_)
    return round_


def attempt_followed(sender, attempt: Attempt, source: str = hooks.STANDING, **_kwargs) -> None:
    """``contest.hooks.attempt_changed`` receiver: a saved answer goes through the queue (off
    the answer writer thread, coalesced per round); anything else is applied at once."""
    if source == hooks.ANSWER:
        answer_updates.put(attempt)
    else:
        attempt_changed(attempt)


def round_followed(sender, round: Round, **_kwargs) -> None:
    """``contest.hooks.round_changed`` receiver: a round was finalized (every standing stored
    at once), so its boards are rebuilt from the database in one pass instead of one entry per
    attempt; frozen views are recomputed on their next read."""
    from leaderboard.push import boards_changed

    try:
        rebuild_round(round)
        invalidate_frozen(contest_id=round.contest_id, round_id=round.pk)
        if round.contest_id is not None:
            invalidate_frozen(round_id=round.pk)
    except Exception as exc:
        if not is_infrastructure_error(exc):
            raise
        outage.missed(round.pk, exc)
        return
    boards_changed(round, frozen=is_frozen(round))


def attempt_changed(attempt: Attempt) -> None:
    """Put the user's entry on the boards (``attempt_followed`` calls it).

    When Redis (or the database) fails under it, the round is rebuilt from the database once
    it answers again (``leaderboard.boards.outage``): the save that called it stands.
    """
    try:
        _put_entry(attempt)
    except Exception as exc:
        if not is_infrastructure_error(exc):
            raise
        outage.missed(attempt.round_id, exc)


def _put_entry(attempt: Attempt) -> None:
    """Put the user's entry of ``attempt`` on its round's boards. O(log n) per board.

    A finalized round's attempts carry their final counted flags (the
    finalization computed them), so they are used as they are; otherwise the user's entry
    is read again from the database (one indexed query), which keeps the rule in one place.
    """
    if attempt.user_id is None:
        return
    from leaderboard.push import boards_changed

    round_ = _round_of(attempt)
    backend = get_backend()
    scope, parent = round_scope(round_.pk), parent_of(round_)
    member = str(attempt.user_id)
    if (parent and not backend.meta(parent)) or backend.meta(scope).get("mode") != _mode(round_):
        ensure_round(round_)
    elif round_.finalized_at is not None:
        if attempt.counted and not attempt.disqualified and attempt.status != AttemptStatus.IN_PROGRESS:
            row = {f: _value(attempt, f) for f in sources.FIELDS}
            entry = sources.make_entry(round_, format_for(round_), final=True, row=row)
            backend.set_entry(scope, parent, member, entry)
        else:
            current = backend.get_entry(scope, member)
            if current is not None and current.attempt == attempt.pk:
                found = sources.live_entries(round_, user_id=attempt.user_id)
                backend.set_entry(scope, parent, member, found[0] if found else None)
    else:
        found = sources.live_entries(round_, user_id=attempt.user_id)
        backend.set_entry(scope, parent, member, found[0] if found else None)
    _maybe_invalidate_frozen(round_, attempt)
    boards_changed(round_, frozen=is_frozen(round_))


answer_updates = BoardQueue(attempt_changed)


_UNITS = {
    "student__school_class_id": "school_class_id",
    "student__school_id": "school_id",
    "student__school__commune_id": "commune_id",
}


def _value(attempt: Attempt, field: str):
    if field == "pk":
        return attempt.pk
    if field in _UNITS:
        return _student_units(attempt.student_id).get(_UNITS[field])
    return getattr(attempt, field)


_units_cache: dict[int, tuple[float, dict]] = {}


def _student_units(student_id: int | None) -> dict:
    if student_id is None:
        return {}
    now = time.monotonic()
    hit = _units_cache.get(student_id)
    if hit is not None and now - hit[0] < 60:
        return hit[1]
    from schools.models import Student

    row = Student.objects.filter(pk=student_id).values("school_class_id", "school_id", "school__commune_id").first()
    units = (
        {}
        if row is None
        else {
            "school_class_id": row["school_class_id"],
            "school_id": row["school_id"],
            "commune_id": row["school__commune_id"],
        }
    )
    if len(_units_cache) > 200_000:
        _units_cache.clear()
    _units_cache[student_id] = (now, units)
    return units


# --- frozen views ----------------------------------------------------------------------------
CORRECTION_AFTER_S = 10


def _maybe_invalidate_frozen(round_: Round, attempt: Attempt) -> None:
    """Frozen views change only by corrections to what stood at the freeze (a disqualified or
    re-scored attempt), never by what students do after it."""
    moment = round_.board_freeze_at
    if moment is None:
        return
    if round_.contest_id is not None and not is_frozen(round_):
        invalidate_frozen(contest_id=round_.contest_id)  # another round's totals moved
        return
    if attempt.started_at > moment or attempt.status == AttemptStatus.IN_PROGRESS:
        return
    fresh_close = (
        attempt.closed_at is not None
        and attempt.submitted_at is not None
        and attempt.submitted_at > moment
        and (timezone.now() - attempt.closed_at).total_seconds() < CORRECTION_AFTER_S
    )
    if not fresh_close:
        invalidate_frozen(contest_id=round_.contest_id, round_id=round_.pk)


def invalidate_frozen(*, contest_id: int | None = None, round_id: int | None = None) -> None:
    backend = get_backend()
    if contest_id is not None:
        if backend.meta(frozen_contest_scope(contest_id)):
            backend.set_meta(frozen_contest_scope(contest_id), {"sig": "stale"})
    elif round_id is not None and backend.meta(f"fr{round_id}"):
        backend.set_meta(f"fr{round_id}", {"sig": "stale"})


def _signature(rounds: list[Round]) -> str:
    return ",".join(f"{r.pk}@{r.board_freeze_at.timestamp():.3f}" for r in rounds) or "-"


def ensure_frozen_contest(contest: Contest, now=None) -> None:
    """Build the frozen view of a contest if missing or out of date: frozen rounds as they
    stood at their freeze, the other rounds as they are."""
    backend = get_backend()
    rounds = list(Round.objects.filter(contest=contest).order_by("pk"))
    frozen = frozen_rounds(rounds, now)
    sig = _signature(frozen)
    scope = frozen_contest_scope(contest.pk)
    if backend.meta(scope).get("sig") == sig:
        return
    backend.clear(scope)
    for round_ in rounds:
        child = frozen_round_scope(round_)
        backend.clear(child)
        entries = sources.frozen_entries(round_) if round_ in frozen else sources.live_entries(round_)
        parent = scope if round_.counts else ""
        backend.set_entries(child, parent, [(e.member, e) for e in entries])
    backend.set_meta(scope, {"sig": sig, "built": time.time()})


def ensure_frozen_round(round_: Round, now=None) -> None:
    if round_.contest_id is not None:
        ensure_frozen_contest(round_.contest, now)
        return
    backend = get_backend()
    scope = frozen_round_scope(round_)
    sig = _signature([round_])
    if backend.meta(scope).get("sig") == sig:
        return
    backend.clear(scope)
    backend.set_entries(scope, "", [(e.member, e) for e in sources.frozen_entries(round_)])
    backend.set_meta(scope, {"sig": sig, "built": time.time()})
