"""The group commit of the answer write path: one per-process batcher.

Consumers hand each ``answer.save`` to ``batcher.enqueue`` and get a future. One flusher
task per event loop waits a few milliseconds (or until ``MAX_BATCH`` saves are waiting),
then runs ``answers_save_batch`` on everything queued: one transaction, committed, and only
then resolves each future, which the consumer turns into the acknowledgement.

Why this shape:
- one transaction carries many answers, so the commit (WAL flush) is paid once per batch,
  not once per answer; while one batch commits, the next one fills up by itself;
- the database work runs on ONE dedicated thread holding ONE long-lived connection, so
  consumers never touch the ORM per message (no ``close_old_connections`` thread hop, no
  connection churn); a broken connection is closed and reopened by the next batch;
- order is kept: saves are queued in arrival order and batches run one at a time, so the
  later of two saves of the same question always wins.

An exception from the database fails every future of the batch: nothing was committed, so
nothing is acknowledged, and the client retries.
"""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

from contest.services.answers import SaveRequest, answers_save_batch

logger = logging.getLogger(__name__)

MAX_BATCH = 400
WINDOW_S = 0.003


class AnswerBatcher:
    def __init__(self, *, max_batch: int = MAX_BATCH, window_s: float = WINDOW_S):
        self.max_batch = max_batch
        self.window_s = window_s
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="answer-batcher")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: list[tuple[SaveRequest, asyncio.Future]] = []
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self.batches = 0  # statistics, for the bench and tests
        self.saves = 0

    def _ensure_running(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._task is None or self._task.done():
            # A new event loop (tests run one per test): start a flusher bound to it.
            self._loop = loop
            self._wake = asyncio.Event()
            self._queue = []
            self._task = loop.create_task(self._run(), name="answer-batcher")
        return loop

    def enqueue(self, request: SaveRequest) -> asyncio.Future:
        """Queue a save; the future resolves to a ``SaveResult`` or a ``DomainError`` after the
        commit, or raises if the batch failed. Call from the event loop, in arrival order."""
        loop = self._ensure_running()
        future = loop.create_future()
        self._queue.append((request, future))
        self._wake.set()
        return future

    async def save(self, request: SaveRequest):
        return await self.enqueue(request)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            if len(self._queue) < self.max_batch:
                await asyncio.sleep(self.window_s)  # let the batch fill
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
            if not self._queue:
                self._wake.clear()
            if not batch:
                continue
            try:
                results = await loop.run_in_executor(self._executor, _flush, [r for r, _f in batch])
            except Exception as exc:
                logger.exception("answer batch of %d failed", len(batch))
                for _r, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            self.batches += 1
            self.saves += len(batch)
            for (_r, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    def close_connection(self) -> None:
        """Close the flusher thread's database connection (tests; shutdown)."""
        # ``connection`` must be looked up on the flusher thread: it is per thread.
        self._executor.submit(lambda: connection.close()).result(timeout=10)


def _flush(requests: list[SaveRequest]):
    # Runs on the batcher's own thread. Its connection lives as long as the process (no
    # CONN_MAX_AGE churn); it is dropped only after an error, and the next batch reconnects.
    try:
        return answers_save_batch(requests)
    except Exception:
        connection.close()  # the next batch reconnects
        raise


batcher = AnswerBatcher()
