"""Group commit: many small writes from many sockets, one transaction per batch.

Consumers ``submit`` an item and await the returned future. One flusher task per event loop
waits ``window_s`` (or until ``max_batch`` items are waiting), then runs ``write_batch`` on
everything queued, on a dedicated writer thread. The futures are resolved only after
``write_batch`` returns, i.e. after its commit, so a reply sent on a resolved future never
acknowledges something uncommitted.

Why this shape:
- one transaction carries many writes, so the commit (WAL flush) is paid once per batch;
  while one batch commits, the next one fills up by itself;
- consumers never touch the ORM per message (no ``close_old_connections`` thread hop, no
  connection churn);
- the writers are inside the process's bound on database connections: with the PostgreSQL
  pool a writer borrows a connection for one batch and gives it back after, and the pool
  checks it before lending it, so the first batch after a database restart gets a live
  connection instead of one that died with the old server. Without a pool (PgBouncer) a
  writer keeps its connection and checks it the same way before each batch (one round trip,
  as the pool's check). After an error the connection is closed, and the next batch
  reconnects;
- items are queued in arrival order. With one writer (the default) batches also commit in
  that order. With ``writers=2`` a second batch is written while the first one waits on the
  database, so two batches may commit in either order: a subclass that allows it must not
  depend on the order between batches (the answer path: a socket has one save in flight at
  a time, and saves of one attempt are serialised by a row lock).

An exception from ``write_batch`` fails every future of its batch: nothing was committed,
so nothing is acknowledged, and clients retry. When it is the database's failure (down,
restarting, no connection within the pool's timeout), what is queued behind fails with it at
once rather than wait as long again.
"""

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

from core.errors import is_infrastructure_error

logger = logging.getLogger(__name__)


def _pooled() -> bool:
    return bool(connection.settings_dict.get("OPTIONS", {}).get("pool"))


def _checked_connection() -> None:
    """Before a unit of work on a writer thread: make sure its connection is alive.

    Pooled: nothing is held between batches, and the pool checks what it lends. Unpooled
    PostgreSQL: the kept connection is pinged, and closed if dead, so the work reconnects
    instead of failing once per writer after a database restart. (SQLite has no server.)
    """
    if connection.connection is None or _pooled() or connection.vendor == "sqlite":
        return
    if not connection.is_usable():
        connection.close()


def _release_connection() -> None:
    """After a unit of work on a writer thread: give a pooled connection back."""
    if _pooled():
        connection.close()


def on_writer_connection(fn, *args):
    """Run ``fn`` as one unit of database work on a writer thread: a live connection before,
    the connection released (pool) after, closed after an error (the next unit reconnects)."""
    _checked_connection()
    try:
        result = fn(*args)
    except Exception:
        connection.close()
        raise
    _release_connection()
    return result


class GroupCommit:
    """Subclasses implement ``write_batch(items) -> (results, extra)`` (runs on the writer
    thread; one result per item, in order) and may implement ``after_batch(loop, extra)``
    (runs on the event loop after the futures are resolved) and ``reset()`` (per-loop state)."""

    name = "group-commit"

    def __init__(self, *, max_batch: int, window_s: float, writers: int = 1):
        self.max_batch = max_batch
        self.window_s = window_s
        self.writers = writers
        self._executor = ThreadPoolExecutor(max_workers=writers, thread_name_prefix=self.name)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: list = []
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self.batches = 0  # statistics, for the benches and tests
        self.items = 0

    def write_batch(self, items: list) -> tuple[list, object]:
        raise NotImplementedError

    def after_batch(self, loop: asyncio.AbstractEventLoop, extra) -> None:
        """Called on the event loop after a committed batch, with ``write_batch``'s extra."""

    def reset(self) -> None:
        """Forget per-loop state (a new event loop: tests run one per test)."""

    def _ensure_running(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._task is None or self._task.done():
            self._loop = loop
            self._wake = asyncio.Event()
            self._queue = []
            self.reset()
            self._task = loop.create_task(self._run(), name=self.name)
        return loop

    def submit(self, item) -> asyncio.Future:
        """Queue an item; the future resolves to its result after the commit, or raises if
        the batch failed. Call from the event loop, in arrival order."""
        loop = self._ensure_running()
        future = loop.create_future()
        self._queue.append((item, future))
        self._wake.set()
        return future

    def _write(self, items: list):
        # Runs on a writer thread: one batch, one unit of database work.
        from core.metrics import BATCH_SECONDS, BATCH_SIZE

        writer = type(self).__name__
        BATCH_SIZE.labels(writer).observe(len(items))
        with BATCH_SECONDS.labels(writer).time():
            return on_writer_connection(self.write_batch, items)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        free = asyncio.Semaphore(self.writers)
        in_flight: set[asyncio.Task] = set()
        while True:
            await self._wake.wait()
            await free.acquire()  # a writer is free; meanwhile the batch went on filling
            if len(self._queue) < self.max_batch:
                await asyncio.sleep(self.window_s)  # let the batch fill
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
            if not self._queue:
                self._wake.clear()
            if not batch:
                free.release()
                continue
            if self.writers == 1:
                await self._commit(loop, batch, free)
            else:
                task = loop.create_task(self._commit(loop, batch, free))
                in_flight.add(task)  # a strong reference until it is done
                task.add_done_callback(in_flight.discard)

    async def _commit(self, loop: asyncio.AbstractEventLoop, batch: list, free: asyncio.Semaphore) -> None:
        try:
            results, extra = await loop.run_in_executor(self._executor, self._write, [i for i, _f in batch])
        except Exception as exc:
            logger.exception("%s: batch of %d failed", self.name, len(batch))
            if is_infrastructure_error(exc) and self._queue:
                # The database is away (this batch waited the pool's whole timeout for it):
                # what queued meanwhile would wait as long again behind the writers before
                # failing the same way, and a client would hear nothing for twice the pool's
                # timeout. Fail it now, uncommitted and unacknowledged: the clients retry.
                batch, self._queue = batch + self._queue, []
                self._wake.clear()
            for _i, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        finally:
            free.release()
        self.batches += 1
        self.items += len(batch)
        for (_i, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
        if extra:
            self.after_batch(loop, extra)

    def run_on_writer(self, fn, *args):
        """Run ``fn`` on a writer thread, as one unit of database work, from the event loop."""
        return self._loop.run_in_executor(self._executor, on_writer_connection, fn, *args)

    def close_connection(self) -> None:
        """Close every writer thread's database connection (tests; shutdown)."""
        # ``connection`` must be looked up on each writer thread: it is per thread. The barrier
        # holds each task until all have started, so each one runs on a thread of its own.
        barrier = threading.Barrier(self.writers)

        def close():
            barrier.wait(timeout=10)
            connection.close()

        for future in [self._executor.submit(close) for _ in range(self.writers)]:
            future.result(timeout=15)
