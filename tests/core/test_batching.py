"""core.batching.GroupCommit: futures resolve after their own batch, with one writer or two."""

import asyncio
import threading

import pytest
from django.db import OperationalError

from core.batching import GroupCommit


class Recorder(GroupCommit):
    """Writes nothing; records each batch and the thread that ran it, and can be told to wait
    on a barrier (to prove two batches run at the same time) or to fail on an item."""

    name = "test-commit"

    def __init__(self, *, writers: int, barrier: threading.Barrier | None = None):
        super().__init__(max_batch=2, window_s=0.001, writers=writers)
        self.barrier = barrier
        self.seen: list[tuple[str, list]] = []
        self.lock = threading.Lock()

    def write_batch(self, items):
        if self.barrier is not None:
            self.barrier.wait()  # both writers must be inside at once
        if "bad" in items:
            raise RuntimeError("the database refused the batch")
        with self.lock:
            self.seen.append((threading.current_thread().name, list(items)))
        return [f"ok:{i}" for i in items], None


async def test_two_writers_write_two_batches_at_once():
    commit = Recorder(writers=2, barrier=threading.Barrier(2, timeout=10))
    futures = [commit.submit(i) for i in range(4)]  # two batches of two
    assert await asyncio.gather(*futures) == [f"ok:{i}" for i in range(4)]
    assert sorted(items for _t, items in commit.seen) == [[0, 1], [2, 3]]
    assert len({thread for thread, _items in commit.seen}) == 2


async def test_one_writer_never_runs_two_batches_at_once():
    commit = Recorder(writers=1, barrier=threading.Barrier(2, timeout=0.5))
    futures = [commit.submit(i) for i in range(4)]
    results = await asyncio.gather(*futures, return_exceptions=True)
    assert all(isinstance(r, threading.BrokenBarrierError) for r in results)  # alone at the barrier


async def test_one_writer_commits_batches_in_arrival_order():
    commit = Recorder(writers=1)
    assert await asyncio.gather(*[commit.submit(i) for i in range(6)]) == [f"ok:{i}" for i in range(6)]
    assert [items for _t, items in commit.seen] == [[0, 1], [2, 3], [4, 5]]


async def test_a_failed_batch_fails_its_own_futures_only():
    commit = Recorder(writers=2)
    futures = [commit.submit(x) for x in ("a", "bad", "c", "d")]
    results = await asyncio.gather(*futures, return_exceptions=True)
    assert [type(r).__name__ for r in results[:2]] == ["RuntimeError", "RuntimeError"]
    assert results[2:] == ["ok:c", "ok:d"]
    assert commit.batches == 1 and commit.items == 2  # only what was written counts


class Outage(GroupCommit):
    """One writer that waits until told, then fails as a database that is away does."""

    name = "test-outage"

    def __init__(self):
        super().__init__(max_batch=1, window_s=0.001, writers=1)
        self.release = threading.Event()
        self.written: list = []

    def write_batch(self, items):
        self.release.wait(10)
        if items == ["down"]:
            raise OperationalError("couldn't get a connection after 10.00 sec")
        if items == ["bug"]:
            raise KeyError("a bug, not an outage")
        self.written.extend(items)
        return [f"ok:{i}" for i in items], None


async def test_saves_queued_behind_a_database_failure_fail_with_it_at_once():
    """Before, each queued item waited its own turn at the dead database (the pool's timeout
    each): a pupil behind two failing batches heard nothing for 20 s."""
    commit = Outage()
    first = commit.submit("down")
    await asyncio.sleep(0.05)  # the writer has taken it and waits
    queued = [commit.submit(i) for i in ("a", "b")]
    commit.release.set()
    results = await asyncio.gather(first, *queued, return_exceptions=True)
    assert [type(r).__name__ for r in results] == ["OperationalError"] * 3
    assert commit.written == [] and commit.batches == 0
    assert await commit.submit("c") == "ok:c"  # and the next save is written as usual


async def test_a_bug_in_a_batch_does_not_fail_what_is_queued_behind_it():
    commit = Outage()
    first = commit.submit("bug")
    await asyncio.sleep(0.05)
    queued = commit.submit("b")
    commit.release.set()
    results = await asyncio.gather(first, queued, return_exceptions=True)
    assert type(results[0]).__name__ == "KeyError" and results[1] == "ok:b"


@pytest.mark.django_db(transaction=True)
def test_close_connection_reaches_every_writer_thread():
    from django.db import connection

    class Touch(GroupCommit):
        def __init__(self):
            super().__init__(max_batch=1, window_s=0.001, writers=2)
            self.barrier = threading.Barrier(2, timeout=10)  # both threads open a connection

        def write_batch(self, items):
            connection.ensure_connection()
            self.barrier.wait()
            return items, None

    commit = Touch()

    async def run():
        await asyncio.gather(*[commit.submit(i) for i in range(2)])

    def on_both_threads(check):
        both = threading.Barrier(2, timeout=10)

        def task():
            both.wait()  # holds each task on a thread of its own
            return check()

        return [f.result(timeout=15) for f in [commit._executor.submit(task) for _ in range(2)]]

    asyncio.run(run())
    # Unpooled, each writer keeps its connection between batches; pooled, it gave it back.
    kept = not connection.settings_dict["OPTIONS"].get("pool")
    assert on_both_threads(lambda: connection.connection is not None) == [kept, kept]
    commit.close_connection()
    assert on_both_threads(lambda: connection.connection is None) == [True, True]
    commit.barrier.reset()
    asyncio.run(run())  # a batch reconnects by itself
    commit.close_connection()
