"""What many people read alike, kept in the shared cache and dropped by the writes that change it.

A cached value belongs to a *generation*: a counter per topic (``ROUNDS``, ``RANKINGS``) that the
services changing that topic bump after their commit (``bump_on_commit``). Each entry is stored
with the generation it was computed under, and one ``get_many`` reads the entry and the current
generation together: an entry from an older generation is a miss. So one write drops every entry
of its topic (every audience's round list, every page of every ranking) without listing them,
and a reader that computed from the database before a write stores its value under the old
generation, which nobody will read.

Why it is safe:
- The generation is read *before* the database, so a value is never newer than its stamp.
- A missing generation key (flushed or evicted Redis) is created from the clock, never reset
  to a number an old entry could still carry.
- Entries expire after ``PAGE_CACHE_TTL`` seconds anyway: a write made outside the services
  (the Django admin, a shell) shows within that time.

Fails soft: when the cache does not answer, values are computed from the database (one warning
per outage, the cache is tried again after ``RETRY_S``); nothing is refused because Redis is down.

On by default only with ``REDIS_URL`` (``PAGE_CACHE``): then every worker shares the entries and
the bumps. The embedded one-process set-up does not need it, and a per-process cache would
miss the writes of other processes (a test's server, the clock).
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

T = TypeVar("T")

ROUNDS = "rounds"  # round lists: a contest or a round created or edited, class rounds
RANKINGS = "rankings"  # public rankings: publication, republication, consent of a shown name
TOPICS = (ROUNDS, RANKINGS)

RETRY_S = 5.0
_MISSING = object()


class _Health:
    """Whether the shared cache answered lately; one warning per outage."""

    def __init__(self):
        self.down_until = 0.0
        self.warned = False
        self.lock = threading.Lock()

    def usable(self) -> bool:
        return time.monotonic() >= self.down_until

    def failed(self, exc: Exception) -> None:
        with self.lock:
            self.down_until = time.monotonic() + RETRY_S
            if not self.warned:
                self.warned = True
                log.warning("Pages are read from the database: the shared cache is unreachable (%s)", exc)

    def answered(self) -> None:
        if self.warned:
            with self.lock:
                if self.warned:
                    self.warned = False
                    log.warning("Pages are cached again: the shared cache answers")


health = _Health()


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE", False))


def _gen_key(topic: str) -> str:
    return f"pc:gen:{topic}"


def _fresh_generation() -> int:
    # Larger than any counter an old entry carries, even after Redis lost the key.
    return time.time_ns()


def cached(topic: str, key: str, compute: Callable[[], T], *, timeout: int | None = None) -> T:
    """``compute()``'s value, shared by every worker until ``topic`` is bumped or it expires.

    ``key`` names the value within the topic and must hold everything the value depends on
    (an audience, a page number, the language). The value is pickled: model instances with
    their ``select_related`` objects are fine, querysets are not (evaluate them first).
    """
    if not enabled() or not health.usable():
        return compute()
    gen_key, entry_key = _gen_key(topic), f"pc:{topic}:{key}"
    try:
        found = cache.get_many([gen_key, entry_key])
        generation = found.get(gen_key)
        if generation is None:
            cache.add(gen_key, _fresh_generation(), None)
            generation = cache.get(gen_key)
        entry = found.get(entry_key, _MISSING)
    except (RedisError, OSError) as exc:
        health.failed(exc)
        return compute()
    health.answered()
    if entry is not _MISSING and entry[0] == generation:
        return entry[1]
    value = compute()
    try:
        cache.set(entry_key, (generation, value), timeout or settings.PAGE_CACHE_TTL)
    except (RedisError, OSError) as exc:
        health.failed(exc)
    return value


def bump(*topics: str) -> None:
    """Drop every entry of ``topics`` now (use ``bump_on_commit`` inside a service)."""
    if not enabled():
        return
    for topic in topics:
        key = _gen_key(topic)
        try:
            try:
                cache.incr(key)
            except ValueError:  # no generation yet (or lost): any fresh one drops old entries
                cache.set(key, _fresh_generation(), None)
        except (RedisError, OSError) as exc:
            # The entries of this topic stay until they expire (PAGE_CACHE_TTL).
            log.warning("Could not drop cached %s pages: the shared cache is unreachable (%s)", topic, exc)


def bump_on_commit(*topics: str) -> None:
    """Drop the cached pages of ``topics`` once the current transaction commits."""
    transaction.on_commit(lambda: bump(*topics))
