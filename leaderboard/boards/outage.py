"""Boards that missed updates while Redis was down, rebuilt from the database when it is back.

Redis is never the only copy: a board update that fails (Redis down, or the database under
the hook) marks its round here, in the process that missed it, and a timer thread rebuilds
each marked round from the database (``sync.rebuild_round``, which also corrects the
contest's totals) every ``RETRY_S`` until it succeeds, then pushes the boards. Meanwhile
board reads answer ``unavailable`` and board sockets are closed with 4503 (try again
later), so nothing shows a board that silently lost entries. One warning is logged when the
first update is missed, one when the boards are rebuilt.
"""

import logging
import threading

from django.db import connections

from core.errors import is_infrastructure_error

logger = logging.getLogger(__name__)

RETRY_S = 2.0
_stale: set[int] = set()
_lock = threading.Lock()
_timer: threading.Timer | None = None


def missed(round_id: int, exc: BaseException) -> None:
    """A board update of ``round_id`` failed: rebuild the round once Redis answers again."""
    with _lock:
        if not _stale:
            logger.warning(
                "board update failed (%s: %s); boards wait for Redis and are rebuilt from the database",
                type(exc).__name__,
                exc,
            )
        _stale.add(round_id)
        _schedule()


def stale() -> set[int]:
    with _lock:
        return set(_stale)


def _schedule() -> None:
    """Start the retry timer unless one is pending. Call holding ``_lock``."""
    global _timer
    if _timer is None:
        _timer = threading.Timer(RETRY_S, _retry)
        _timer.daemon = True
        _timer.start()


def _retry() -> None:
    global _timer
    from contest.models import Round
    from leaderboard.boards.freeze import is_frozen
    from leaderboard.boards.sync import rebuild_round
    from leaderboard.push import boards_changed

    rebuilt = 0
    try:
        for round_id in sorted(stale()):
            round_ = Round.objects.filter(pk=round_id).first()
            if round_ is not None:
                rebuild_round(round_)
                boards_changed(round_, frozen=is_frozen(round_))
                rebuilt += 1
            with _lock:
                _stale.discard(round_id)
    except Exception as exc:
        if not is_infrastructure_error(exc):
            logger.exception("rebuilding boards after a Redis failure failed")
    finally:
        connections.close_all()  # this thread's connection: the timer thread ends here
        with _lock:
            _timer = None
            if _stale:
                _schedule()
    if rebuilt:
        logger.warning("Redis is back: %d board(s) rebuilt from the database", rebuilt)
