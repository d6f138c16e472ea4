"""The page cache turned on for one test (it is off in the suite: config/settings_test.py); the
``page_cache`` fixture is in tests/conftest.py."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import pagecache


def turn_on(settings):
    """The shared cache of the settings (Redis with ``REDIS_URL``, else local memory), with
    every topic bumped first: ids of earlier tests' rolled-back rows come back."""
    settings.PAGE_CACHE = True
    pagecache.health.down_until = 0.0
    pagecache.health.warned = False
    pagecache.bump(*pagecache.TOPICS)


def queries(fn) -> tuple[int, object]:
    """(the number of queries ``fn()`` made, its result)."""
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return len(ctx.captured_queries), result
