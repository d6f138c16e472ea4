import pytest
from django.conf import settings

from leaderboard.boards import get_backend


def flush_boards() -> None:
    """Forget every live board: the in-process store, or this install's Redis keys only
    (other installs share the Redis server; never FLUSHALL)."""
    backend = get_backend()
    if backend.name == "memory":
        backend.reset()
        return
    keys = list(backend.client.scan_iter(match=f"{settings.REDIS_PREFIX}:*", count=1000))
    for start in range(0, len(keys), 500):
        backend.client.delete(*keys[start : start + 500])


@pytest.fixture(autouse=True)
def _fresh_boards():
    flush_boards()
    yield
    flush_boards()


@pytest.fixture(autouse=True)
def _no_trailing_pushes():
    yield
    from leaderboard.push import coalescer

    coalescer.cancel()
