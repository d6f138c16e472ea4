"""The per-process group commit of joins and answers.

Consumers hand each ``live.join`` and ``live.answer`` to ``batcher`` and await a future. One
flusher task per event loop waits a few milliseconds (or until ``MAX_BATCH`` are waiting),
then runs the whole batch on ONE dedicated thread holding ONE database connection: joins in
one transaction, answers in another. Only after the commit are the futures resolved, and the
consumers reply. So a burst of 5,000 answers costs a few dozen commits, and consumers never
touch the ORM (no per-message ``close_old_connections`` thread hop).

After a batch of answers, the batcher tells the screens how many have answered (at most
``COUNT_EVERY_S`` apart per game) and closes the question once everyone has.
"""

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connection

from core.realtime.protocol import Msg
from live import publish
from live.services.answers import AnswerRequest, Touched, answers_save_batch
from live.services.players import JoinRequest, players_join_batch

logger = logging.getLogger(__name__)

MAX_BATCH = 500
WINDOW_S = 0.004
COUNT_EVERY_S = 0.25


class Batcher:
    def __init__(self):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-batcher")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: list = []
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._counted: dict[int, float] = {}
        self._count_later: dict[int, Touched] = {}
        self.batches = 0
        self.items = 0

    def _ensure_running(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._task is None or self._task.done():
            self._loop = loop
            self._wake = asyncio.Event()
            self._queue = []
            self._counted = {}
            self._count_later = {}
            self._task = loop.create_task(self._run(), name="live-batcher")
        return loop

    def submit(self, request: JoinRequest | AnswerRequest) -> asyncio.Future:
        loop = self._ensure_running()
        future = loop.create_future()
        self._queue.append((request, future))
        self._wake.set()
        return future

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            if len(self._queue) < MAX_BATCH:
                await asyncio.sleep(WINDOW_S)
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            if not self._queue:
                self._wake.clear()
            if not batch:
                continue
            try:
                results, touched = await loop.run_in_executor(self._executor, _flush, [r for r, _f in batch])
            except Exception as exc:
                logger.exception("live batch of %d failed", len(batch))
                for _r, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            self.batches += 1
            self.items += len(batch)
            for (_r, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)
            if touched:
                self._after_answers(loop, touched)

    def _after_answers(self, loop, touched: list[Touched]) -> None:
        now = time.monotonic()
        due = []
        for t in touched:
            last = self._counted.get(t.game_id, 0.0)
            if now - last >= COUNT_EVERY_S:
                self._counted[t.game_id] = now
                due.append(t)
            elif t.game_id not in self._count_later:
                self._count_later[t.game_id] = t
                loop.call_later(COUNT_EVERY_S - (now - last), self._late_count, loop, t.game_id)
            else:
                self._count_later[t.game_id] = t
        if due:
            loop.run_in_executor(self._executor, _count_and_close, due)

    def _late_count(self, loop, game_id: int) -> None:
        t = self._count_later.pop(game_id, None)
        if t is not None:
            self._counted[game_id] = time.monotonic()
            loop.run_in_executor(self._executor, _count_and_close, [t])

    def close_connection(self) -> None:
        """Close the batcher thread's database connection (tests; shutdown)."""
        self._executor.submit(lambda: connection.close()).result(timeout=10)


def _flush(requests: list) -> tuple[list, list[Touched]]:
    """Runs on the batcher's thread: joins, then answers, each in one transaction."""
    close_old_connections()
    out: list = [None] * len(requests)
    touched: list[Touched] = []
    joins = [(i, r) for i, r in enumerate(requests) if isinstance(r, JoinRequest)]
    answers = [(i, r) for i, r in enumerate(requests) if isinstance(r, AnswerRequest)]
    try:
        if joins:
            for (i, _r), result in zip(joins, players_join_batch([r for _i, r in joins]), strict=True):
                out[i] = result
        if answers:
            results, touched = answers_save_batch([r for _i, r in answers])
            for (i, _r), result in zip(answers, results, strict=True):
                out[i] = result
    except Exception:
        connection.close()  # the next batch reconnects
        raise
    return out, touched


def _count_and_close(touched: list[Touched]) -> None:
    """Tell the screens how many have answered; close the question if everyone has."""
    from contest.models import Answer
    from live.services.flow import question_close_if_all_answered
    from live.services.players import LivePlayer

    try:
        for t in touched:
            answered = Answer.objects.filter(attempt__round_id=t.round_id, question_version_id=t.version_id).count()
            players = LivePlayer.objects.filter(game_id=t.game_id, kicked_at__isnull=True)
            if t.elimination:
                players = players.filter(out_index__isnull=True)
            eligible = players.count()
            publish.screens(
                t.game_id, {"type": Msg.LIVE_COUNT, "index": t.index, "answered": answered, "players": eligible}
            )
            if eligible and answered >= eligible:
                question_close_if_all_answered(game_id=t.game_id, index=t.index)
    except Exception:
        logger.exception("live: counting answers failed")
        connection.close()


batcher = Batcher()
