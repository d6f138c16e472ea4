"""Coalesced board pushes: at most about one ``leaderboard.changed`` per group a second.

The first change in a quiet group is pushed at once (leading edge); later changes within the
interval are folded into one push when it ends (trailing edge), so the last state always
arrives. With Redis the interval is claimed with ``SET NX PX`` shared by every process, so N
workers still push a group at most about once a second; a process that could not claim it
retries when the claim expires. The message carries nothing but "changed": each socket
reads its own slice (top N, its rank, its neighbours), never the whole table.
"""

import atexit
import threading
import time

from django.conf import settings

from core.realtime.events import group_send
from core.realtime.protocol import Event, board_group

INTERVAL_S = 1.0
_stopping = False


@atexit.register
def _stop() -> None:
    """At exit, trailing pushes are dropped: nobody is connected to this process any more,
    and the executor that would carry them is already shut down."""
    global _stopping
    _stopping = True


def _send(group: str) -> None:
    if _stopping:
        return
    group_send(group, {"type": Event.LEADERBOARD_CHANGED})


class Coalescer:
    def __init__(self, send=_send, interval: float = INTERVAL_S):
        self.send = send
        self.interval = interval
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._pending: set[str] = set()
        self._timers: dict[str, threading.Timer] = {}
        self.sent = 0  # statistics for tests
        atexit.register(self.cancel)

    def cancel(self) -> None:
        """Drop pending trailing pushes (process exit; tests)."""
        with self._lock:
            for timer in self._timers.values():
                timer.cancel()
            self._timers.clear()
            self._pending.clear()

    def _claim(self, group: str) -> float:
        """0 if this process may push now; else seconds until the interval ends."""
        if settings.REDIS_URL:
            from leaderboard.boards import get_backend

            client = get_backend().client
            key = f"{settings.REDIS_PREFIX}:lb:push:{group}"
            if client.set(key, b"1", nx=True, px=int(self.interval * 1000)):
                return 0.0
            ttl = client.pttl(key)
            return max(ttl, 20) / 1000
        now = time.monotonic()
        wait = self._last.get(group, -1e9) + self.interval - now
        if wait <= 0:
            self._last[group] = now
            return 0.0
        return wait

    def touch(self, group: str) -> None:
        with self._lock:
            if group in self._pending:
                return
            wait = self._claim(group)
            if wait > 0:
                self._pending.add(group)
                timer = threading.Timer(wait, self._fire, [group])
                timer.daemon = True
                self._timers[group] = timer
                timer.start()
                return
        self.sent += 1
        self.send(group)

    def _fire(self, group: str) -> None:
        with self._lock:
            if group not in self._pending:
                return  # cancelled
            self._pending.discard(group)
            self._timers.pop(group, None)
        self.touch(group)


coalescer = Coalescer()


def boards_changed(round_, *, frozen: bool = False, freeze_changed: bool = False) -> None:
    """A round's boards changed: tell its staff sockets, and the others unless frozen (a
    frozen board does not move; ``freeze_changed`` tells everyone the view switched)."""
    targets = [("round", round_.pk)]
    if round_.contest_id is not None:
        targets.append(("contest", round_.contest_id))
    for scope, scope_id in targets:
        coalescer.touch(board_group(scope, scope_id, staff=True))
        if not frozen or freeze_changed:
            coalescer.touch(board_group(scope, scope_id, staff=False))
