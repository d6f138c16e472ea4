"""Following attempts from other apps (live boards, notifications): a Django signal sent after
the commit (``core.realtime.events.send_on_commit``).

    from contest.hooks import attempt_changed

    @receiver(attempt_changed)
    def push_board(sender, attempt, source, **kwargs):  # after the commit, with the saved Attempt
        ...

It is sent, once per attempt, whenever its score or standing may have changed:

- ``source="answer"``: an answer was saved and the round's reveal policy shows the score
  during the attempt. It comes from the answer writer thread: a receiver must return quickly
  (hand the work to a queue, as the boards do);
- ``source="standing"`` (the default): the attempt was submitted, closed by the clock at its
  deadline, finalized, re-scored, disqualified or reinstated, or a live game moved.

A finalization (at the round's close, or the organiser's "Đóng vòng ngay") stores every
attempt's standing at once: it sends ``round_changed`` (kwargs: ``round``) once instead, after
the commit, and a receiver rebuilds what it keeps of that round.

A receiver runs in the thread that committed; an exception in one is logged and does not stop
the others. Connect once, at import time (``AppConfig.ready``). ``on_attempt_changed(func)``
connects a plain ``func(attempt)`` (and ``remove(func)`` disconnects it).
"""

import logging
from collections.abc import Callable, Iterable

from django.dispatch import Signal

from core.realtime.events import send_on_commit

logger = logging.getLogger(__name__)

ANSWER = "answer"
STANDING = "standing"

attempt_changed = Signal()  # kwargs: attempt, source
round_changed = Signal()  # kwargs: round (finalized: every attempt's standing is stored)


def _uid(func: Callable) -> tuple:
    return ("contest.hooks.follower", id(func))


def on_attempt_changed(func: Callable) -> Callable:
    """Connect ``func(attempt)``; usable as a decorator. Connecting twice is a no-op."""
    attempt_changed.connect(lambda attempt, **_kwargs: func(attempt), weak=False, dispatch_uid=_uid(func))
    return func


def remove(func: Callable) -> None:
    attempt_changed.disconnect(dispatch_uid=_uid(func))


def _send(attempts: list, source: str) -> None:
    for attempt in attempts:
        for receiver, result in attempt_changed.send_robust(sender=type(attempt), attempt=attempt, source=source):
            if isinstance(result, Exception):
                logger.error("attempt_changed receiver %r failed for attempt %s", receiver, attempt.pk, exc_info=result)


def attempts_changed(attempts: Iterable, *, source: str = STANDING) -> None:
    """Send ``attempt_changed`` for each attempt once the current transaction commits."""
    if not attempt_changed.has_listeners():
        return  # nobody follows: do not even build the list
    attempts = list(attempts)
    if attempts:
        send_on_commit(_send, attempts, source)


def _send_round(round_) -> None:
    for receiver, result in round_changed.send_robust(sender=type(round_), round=round_):
        if isinstance(result, Exception):
            logger.error("round_changed receiver %r failed for round %s", receiver, round_.pk, exc_info=result)


def round_changed_all(round_) -> None:
    """Send ``round_changed`` for ``round_`` once the current transaction commits."""
    if round_changed.has_listeners():
        send_on_commit(_send_round, round_)
