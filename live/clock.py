"""The clock of live games: transitions on time, with or without any browser connected.

Every worker process runs one clock task (started with its first live socket, or by
``manage.py live_clock`` as a process of its own). It asks the database twice a second for
games with a transition due soon (``phase_deadline``, indexed) and wakes at each deadline to
call ``game_advance_due``. Several clocks race for the same deadline on purpose: the
transition re-checks the game's version under its row lock, so exactly one of them makes it
and the others do nothing. Messages carry absolute deadlines; nothing ticks every second.

With ``REDIS_URL`` every clock drives every game (any worker's message reaches every worker).
Without Redis a message reaches only the sockets of the process that made it, so a clock drives
the games its own process serves: those it has held a socket of, or changed through a request.
The embedded default is one process, so that is every game in use; after a restart a game
resumes as soon as anyone reconnects (its overdue transition is made at once).
"""

import asyncio
import contextlib
import datetime
import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from live.hub import hub

logger = logging.getLogger(__name__)

POLL_S = 0.5


class Clock:
    def __init__(self):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-clock")
        self._task: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._scheduled: dict[tuple[int, int], asyncio.TimerHandle] = {}
        self.transitions = 0

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        if self._task is not None and not self._task.done() and self._loop is loop:
            return
        self._loop = loop
        self._scheduled = {}
        self._task = loop.create_task(self.run(), name="live-clock")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        for handle in self._scheduled.values():
            handle.cancel()
        self._scheduled = {}
        self._task = None

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                due = await loop.run_in_executor(self._executor, _due)
            except Exception:
                logger.warning("live clock: polling failed", exc_info=True)
                await asyncio.sleep(POLL_S)
                continue
            now = timezone.now()
            if not settings.REDIS_URL:
                # Without Redis a transition reaches only this process's sockets: drive only
                # the games served here (see the module docstring).
                due = [d for d in due if d[0] in hub.served]
            for game_id, version, deadline in due:
                key = (game_id, version)
                if key in self._scheduled:
                    continue
                delay = max(0.0, (deadline - now).total_seconds()) + 0.01  # timers may fire a hair early
                logger.debug("live clock: game %s v%s due in %.3f s", game_id, version, delay)
                self._scheduled[key] = loop.call_later(delay, self._fire, loop, game_id, version)
            await asyncio.sleep(POLL_S)

    def _fire(self, loop, game_id: int, version: int) -> None:
        future = loop.run_in_executor(self._executor, _advance, game_id, version)

        def done(f):
            self._scheduled.pop((game_id, version), None)
            made = not f.cancelled() and f.exception() is None and f.result()
            logger.debug("live clock: game %s v%s: %s", game_id, version, "moved" if made else "nothing to do")
            if made:
                self.transitions += 1

        future.add_done_callback(done)


def _due() -> list:
    from live.services.flow import due_games

    close_old_connections()
    return due_games(timezone.now(), datetime.timedelta(seconds=POLL_S * 2))


def _advance(game_id: int, version: int) -> bool:
    from live.services.flow import game_advance_due

    try:
        return game_advance_due(game_id=game_id, version=version)
    except Exception:
        logger.exception("live clock: transition of game %s failed", game_id)
        from django.db import connection

        connection.close()
        return False


clock = Clock()
