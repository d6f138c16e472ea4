"""A tiny hook for other apps (live boards, notifications) to follow attempts.

    from contest.hooks import on_attempt_changed

    @on_attempt_changed
    def push_board(attempt):  # runs after the commit, with the saved Attempt
        ...

Callbacks run after the transaction that changed the attempt commits
(``transaction.on_commit``), whenever its score or standing may have changed:

- an answer was saved and the round's reveal policy shows the score during the attempt;
- the attempt was submitted, or closed by the clock at its deadline;
- the round was finalized or re-scored (every attempt of the round);
- the attempt was disqualified or reinstated.

A callback runs in the thread that committed (a request, the answer batcher, the clock), so it
must be quick; an exception in one is logged and does not stop the others. Register once, at
import time (``AppConfig.ready``).
"""

import logging
from collections.abc import Callable, Iterable

from django.db import transaction

logger = logging.getLogger(__name__)

Callback = Callable[[object], None]
_callbacks: list[Callback] = []


def on_attempt_changed(func: Callback) -> Callback:
    """Register ``func(attempt)``; usable as a decorator. Registering twice is a no-op."""
    if func not in _callbacks:
        _callbacks.append(func)
    return func


def remove(func: Callback) -> None:
    if func in _callbacks:
        _callbacks.remove(func)


def _run(attempts: list) -> None:
    for attempt in attempts:
        for callback in list(_callbacks):
            try:
                callback(attempt)
            except Exception:
                logger.exception("on_attempt_changed callback %r failed for attempt %s", callback, attempt.pk)


def attempts_changed(attempts: Iterable) -> None:
    """Call the callbacks with each attempt once the current transaction commits."""
    if not _callbacks:
        return  # nobody follows: do not even build the list
    attempts = list(attempts)
    if attempts:
        transaction.on_commit(lambda: _run(attempts))
