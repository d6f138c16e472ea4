"""Rules shared by the services, the API and the pages: grace, reveal levels, attempts left."""

import datetime
import enum

from django.utils import timezone

from contest.models import AttemptsPolicy, Reveal, Round

# An answer received up to this long after the deadline still counts (network delay).
ANSWER_GRACE = datetime.timedelta(seconds=2)  # a window round's attempt
LIVE_ANSWER_GRACE = datetime.timedelta(milliseconds=800)  # a live game's question (a faster pace)
# A round is finalized this long after it closes, once the last attempts' grace has passed.
FINALIZE_DELAY = ANSWER_GRACE + datetime.timedelta(seconds=1)


def key_waits_for_close(round_: Round) -> bool:
    """Whether the answer key must wait for the close: a counting round that allows another
    attempt. Shown after a first attempt, the key would score the next one in full, so setup
    refuses ``Reveal.ANSWERS`` or more before the close (``services.setup.clean_round``), and
    ``reveal_level`` caps rounds stored before that rule at ``Reveal.CORRECTNESS``."""
    return round_.counts and attempts_allowed(round_) != 1


def has_finished(round_: Round, now: datetime.datetime | None = None) -> bool:
    """Closed and past the finalization delay (or finalized): the after-close reveal applies."""
    return round_.finalized_at is not None or (
        round_.closes_at is not None and (now or timezone.now()) >= round_.closes_at + FINALIZE_DELAY
    )


def is_late(received_at: datetime.datetime, deadline: datetime.datetime | None, *, grace=ANSWER_GRACE) -> bool:
    """The one lateness rule (DESIGN invariant 3): something received at ``received_at``
    (server time, never a client's) missed ``deadline`` if it came after the deadline plus
    the grace. No deadline: never late."""
    return deadline is not None and received_at > deadline + grace


def answers_close_at(deadline: datetime.datetime, *, grace=ANSWER_GRACE) -> datetime.datetime:
    """The last instant at which an answer for ``deadline`` still counts (``is_late`` after it)."""
    return deadline + grace


def late_cutoff(now: datetime.datetime, *, grace=ANSWER_GRACE) -> datetime.datetime:
    """For queries: at ``now``, exactly the deadlines before this instant are late
    (``deadline < late_cutoff(now)`` is ``is_late(now, deadline)``)."""
    return now - grace


def reveal_level(round_: Round, attempt, now: datetime.datetime | None = None) -> int:
    """What the student of ``attempt`` may see now: a ``Reveal`` level.

    During the attempt: ``reveal_during``. After it: ``reveal_after_attempt``. After the round
    has closed and been finalized: ``reveal_after_close``. Never less than an earlier stage.
    Before the close, never the key while another attempt may follow (``key_waits_for_close``).
    """
    level = round_.reveal_during
    if attempt is not None and not attempt.is_open:
        level = max(level, round_.reveal_after_attempt)
    if key_waits_for_close(round_):
        level = min(level, Reveal.CORRECTNESS)
    if attempt is not None and not attempt.is_open and has_finished(round_, now):
        level = max(level, round_.reveal_after_close)
    return level


class _Closed:
    is_open = False


def board_reveal_level(round_: Round, now: datetime.datetime | None = None) -> int:
    """What a pupil may see of the round's board now: the level of an attempt that has ended.

    A board shows the scores and ranks of attempts that have ended (and of running ones only
    when ``reveal_during`` shows the score), so it may show them only once such an attempt's
    own reveal shows the score; below ``Reveal.SCORE`` a rank or a score tells correctness.
    """
    return reveal_level(round_, _Closed(), now)


class AnswerPolicy(enum.StrEnum):
    """Which answer to a question stands when a student answers it more than once."""

    LAST_WINS = "last"  # a window round: a later save replaces the stored response
    FIRST_FINAL = "first"  # a live game, as on a game show: the first answer is final


def live_scoring(round_: Round) -> bool:
    """Whether the score is shown during the attempt, so each saved answer changes standings."""
    return round_.reveal_during >= Reveal.SCORE


def attempts_allowed(round_: Round) -> int | None:
    """How many attempts a student may take; None for unlimited."""
    if round_.attempts_policy == AttemptsPolicy.ONE:
        return 1
    if round_.attempts_policy == AttemptsPolicy.MAX_N:
        return round_.max_attempts or 1
    return None


def attempts_left(round_: Round, taken: int) -> int | None:
    allowed = attempts_allowed(round_)
    return None if allowed is None else max(0, allowed - taken)
