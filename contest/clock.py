"""Timed transitions: close attempts at their deadline, finalize rounds at their close.

``tick()`` is one pass; ``manage.py run_clock`` calls it every second. Every transition is
safe to run from several processes at once (row locks with SKIP LOCKED, conditional
re-reads), so a second clock, or a page that closes an attempt on access, never closes
anything twice. Pages and the API also close what is due when they touch it, so results
never wait for the clock; the clock is what closes attempts whose browser has gone.
"""

import datetime
import logging

from django.utils import timezone

from contest.services import attempts_close_due, rounds_finalize_due

logger = logging.getLogger(__name__)


def tick(now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    closed = attempts_close_due(now=now)
    finalized = rounds_finalize_due(now=now)
    if closed or finalized:
        logger.info("clock: closed %d attempts, finalized %d rounds", closed, finalized)
    return {"attempts_closed": closed, "rounds_finalized": finalized}
