"""core.pagecache: generations drop entries, a lost generation never revives an old entry, and a
cache that does not answer costs the database reads, never an error."""

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse

from core import pagecache
from tests.contest import factories as cf
from tests.support.pagecache import queries
from tests.support.server import free_port


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    return calls, compute


def test_an_entry_is_shared_until_its_topic_is_bumped(page_cache):
    calls, compute = _counter()
    assert pagecache.cached(pagecache.ROUNDS, "t1", compute) == {"n": 1}
    assert pagecache.cached(pagecache.ROUNDS, "t1", compute) == {"n": 1}
    pagecache.bump(pagecache.RANKINGS)  # another topic: kept
    assert pagecache.cached(pagecache.ROUNDS, "t1", compute) == {"n": 1}
    pagecache.bump(pagecache.ROUNDS)
    assert pagecache.cached(pagecache.ROUNDS, "t1", compute) == {"n": 2}
    assert len(calls) == 2


def test_a_lost_generation_does_not_bring_an_old_entry_back(page_cache):
    _calls, compute = _counter()
    pagecache.cached(pagecache.ROUNDS, "t2", compute)
    pagecache.bump(pagecache.ROUNDS)
    cache.delete("pc:gen:rounds")  # Redis evicted or flushed the counter, not the entry
    assert pagecache.cached(pagecache.ROUNDS, "t2", compute) == {"n": 2}
    pagecache.bump(pagecache.ROUNDS)  # bumping a lost counter starts a fresh one
    assert pagecache.cached(pagecache.ROUNDS, "t2", compute) == {"n": 3}


def test_off_means_computed_every_time(settings):
    settings.PAGE_CACHE = False
    calls, compute = _counter()
    pagecache.cached(pagecache.ROUNDS, "t3", compute)
    pagecache.cached(pagecache.ROUNDS, "t3", compute)
    assert len(calls) == 2


@pytest.fixture
def dead_redis(settings, page_cache):
    """The cache pointed at a Redis that is not there (a port nobody listens on)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield


def test_without_redis_values_come_from_the_database_with_one_warning(dead_redis, caplog):
    _calls, compute = _counter()
    with caplog.at_level(logging.WARNING, logger="core.pagecache"):
        assert pagecache.cached(pagecache.ROUNDS, "t4", compute) == {"n": 1}
        assert pagecache.cached(pagecache.ROUNDS, "t4", compute) == {"n": 2}
        pagecache.bump(pagecache.ROUNDS)  # logged, not raised
    warnings = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(warnings) == 2  # the outage once, the failed bump once


@pytest.mark.django_db
def test_without_redis_the_round_list_is_served_from_the_database(client, dead_redis):
    w = cf.world()
    cf.round_(w, name="Tuần một")
    client.force_login(w.students[0])
    counts = []
    for _ in range(2):
        n, resp = queries(lambda: client.get(reverse("contest:rounds")))
        assert resp.status_code == 200 and "Tuần một" in resp.text
        counts.append(n)
    assert counts == [8, 8]  # cold both times (tests/contest/test_page_cache.py)
