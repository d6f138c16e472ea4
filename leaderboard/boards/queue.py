"""Board updates from the answer path, off the answer writer thread.

An answer saved while the round shows scores changes its attempt's standing, and the boards
follow (``sync.attempt_changed``: a read of the entry and a few O(log n) board writes). Done in
the answer writer thread, that work delays every acknowledgement of the next batch. Instead the
``attempt_changed`` receiver puts the attempt here and returns: one daemon thread per process
applies the updates, a round at a time, and coalesces them: while a round waits, a student's
later answers replace the earlier ones (the update reads the entry from the database anyway, so
only the latest matters). Queued rounds are served in arrival order. The queue is bounded by the
number of (round, student) pairs in play.

``drain()`` waits until everything queued so far is on the boards (tests, benchmarks). The
thread closes its database connection after ``IDLE_CLOSE_S`` without work, or when asked
(``close_connection``: tests, before the test database is dropped).
"""

import logging
import threading

from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)

IDLE_CLOSE_S = 60.0


class BoardQueue:
    def __init__(self, apply):
        self._apply = apply
        self._cond = threading.Condition()
        self._pending: dict[int, dict[int, object]] = {}  # round id -> user id -> latest attempt
        self._busy = False
        self._close = False  # asked to close the thread's connection
        self._thread: threading.Thread | None = None
        self.applied = 0  # statistics: updates applied (after coalescing)
        self.queued = 0  # statistics: updates queued

    def put(self, attempt) -> None:
        if attempt.user_id is None:
            return  # not on the boards (a live game's players)
        with self._cond:
            self._pending.setdefault(attempt.round_id, {})[attempt.user_id] = attempt
            self.queued += 1
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="board-queue", daemon=True)
                self._thread.start()
            self._cond.notify()

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._pending:
                    self._busy = False
                    if self._close:
                        connection.close()
                        self._close = False
                    self._cond.notify_all()
                    if not self._cond.wait(IDLE_CLOSE_S) and not self._pending:
                        connection.close()  # idle: do not hold a database connection
                self._busy = True
                round_id = next(iter(self._pending))
                attempts = list(self._pending.pop(round_id).values())
            close_old_connections()
            for attempt in attempts:
                try:
                    self._apply(attempt)
                except Exception:
                    logger.exception("board update failed for attempt %s", attempt.pk)
                self.applied += 1

    def close_connection(self, timeout: float = 10.0) -> None:
        """Have the (idle) thread close its database connection."""
        with self._cond:
            if self._thread is None or not self._thread.is_alive():
                return
            self._close = True
            self._cond.notify_all()
            self._cond.wait_for(lambda: not self._close, timeout)

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until the queue is empty and the worker idle; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending and not self._busy, timeout)
