"""The guessing limiter: failures counted per account and per address, shared by every worker.

Sign-in (the login page and ``POST /api/auth/token/``) and the game PIN / class code share it.
Only failures are counted, so a school behind one NAT address can sign in a whole class (or
every class) without tripping it; the per-address limits sit far above one school's typing
mistakes, the per-account limits are low. docs/security.md gives the guesses per hour each
allows.

Counting: a sliding window estimated from two fixed windows (the current one, and the previous
one weighted by how much of it still overlaps the sliding window), as nginx and Cloudflare do.
A key is blocked while that estimate is at or above its limit; guesses refused while blocked
are not counted, so a blocked client is let back in on time.

Storage: the default cache, i.e. Redis when ``REDIS_URL`` is set, so every worker shares the
counts. When Redis does not answer, the limiter counts in this process instead (one warning is
logged per outage; Redis is tried again after ``RETRY_S``): limits keep holding per worker,
nobody is refused because Redis is down, and nothing answers 500.
"""

import hashlib
import logging
import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError

from config.env import parse_rate
from core.errors import RateLimited

log = logging.getLogger(__name__)

RETRY_S = 5.0  # after a failure, how long to count locally before trying Redis again


@dataclass(frozen=True)
class Limit:
    """A named limit whose rate comes from a setting (read at each use, so tests may change it)."""

    name: str
    setting: str
    default: str

    def rate(self) -> tuple[int, int]:
        if self.setting == "THROTTLE_PIN":  # the PIN's rate is DRF's "pin" rate, as it always was
            raw = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get("pin") or self.default
        else:
            raw = getattr(settings, self.setting, None) or self.default
        return parse_rate(raw)


SIGNIN_ACCOUNT = Limit("signin-account", "SIGNIN_ACCOUNT_RATE", "10/h")
SIGNIN_ADDRESS = Limit("signin-address", "SIGNIN_ADDRESS_RATE", "300/h")
PIN_ADDRESS = Limit("pin-address", "THROTTLE_PIN", "20/min")


class _Store:
    """The default cache, falling back to a per-process cache while Redis is unreachable."""

    def __init__(self):
        self.local = LocMemCache("hoithiso-limits-fallback", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
        self.down_until = 0.0
        self.warned = False
        self.lock = threading.Lock()

    def _shared_ok(self) -> bool:
        return time.monotonic() >= self.down_until

    def _failed(self, exc: Exception) -> None:
        with self.lock:
            self.down_until = time.monotonic() + RETRY_S
            if not self.warned:
                self.warned = True
                log.warning("Rate limits are counted per process: the shared cache is unreachable (%s)", exc)

    def _recovered(self) -> None:
        if self.warned:
            with self.lock:
                if self.warned:
                    self.warned = False
                    log.warning("Rate limits are shared again: the cache answers")

    def _run(self, op):
        if self._shared_ok():
            try:
                result = op(cache)
            except (RedisError, OSError) as exc:
                self._failed(exc)
            else:
                self._recovered()
                return result
        return op(self.local)

    def get_many(self, keys: list[str]) -> dict:
        return self._run(lambda c: c.get_many(keys))

    def incr(self, key: str, ttl: int) -> None:
        def op(c):
            c.add(key, 0, ttl)
            try:
                c.incr(key)
            except ValueError:  # expired in between
                c.add(key, 1, ttl)

        self._run(op)

    # The two calls DRF's throttles make (``core.api.throttles``).
    def get(self, key: str, default=None):
        return self._run(lambda c: c.get(key, default))

    def set(self, key: str, value, timeout: int) -> None:
        self._run(lambda c: c.set(key, value, timeout))


store = _Store()


def _keys(limit: Limit, subject: str, window: int, now: float) -> tuple[str, str, float]:
    index = int(now // window)
    digest = hashlib.blake2b(subject.encode(), digest_size=12).hexdigest()  # any text, a short safe key
    base = f"limit:{limit.name}:{digest}"
    return f"{base}:{index}", f"{base}:{index - 1}", (now % window) / window


def _estimate(counts: dict, keys: tuple[str, str, float]) -> float:
    current, previous, elapsed = keys
    return int(counts.get(current) or 0) + int(counts.get(previous) or 0) * (1.0 - elapsed)


def _wait_s(count_now: int, count_prev: int, limit: int, window: int, now: float) -> int:
    """Seconds until the estimate drops under the limit, if no further failure is counted."""
    for step in range(0, 2 * window + 60, 60):
        t = now + step
        index_now, index_t = int(now // window), int(t // window)
        elapsed = (t % window) / window
        if index_t == index_now:
            est = count_now + count_prev * (1 - elapsed)
        elif index_t == index_now + 1:
            est = count_now * (1 - elapsed)
        else:
            est = 0
        if est < limit:
            return step
    return 2 * window


def check(checks: list[tuple[Limit, str]], message) -> None:
    """Raise ``RateLimited`` (with ``message``, which may hold ``%(minutes)s``) when any of
    ``(limit, subject)`` is blocked."""
    now = time.time()
    plan = []
    for limit, subject in checks:
        count, window = limit.rate()
        plan.append((limit, count, window, _keys(limit, subject, window, now)))
    counts = store.get_many([k for *_rest, keys in plan for k in keys[:2]])
    waits = [
        _wait_s(int(counts.get(keys[0]) or 0), int(counts.get(keys[1]) or 0), count, window, now)
        for _limit, count, window, keys in plan
        if _estimate(counts, keys) >= count
    ]
    if waits:
        minutes = max(1, math.ceil(max(waits) / 60))
        raise RateLimited(message % {"minutes": minutes}, code="rate_limited")


def fail(checks: list[tuple[Limit, str]]) -> None:
    """Count one failure against each ``(limit, subject)``."""
    now = time.time()
    for limit, subject in checks:
        _count, window = limit.rate()
        current, _previous, _elapsed = _keys(limit, subject, window, now)
        store.incr(current, 2 * window + 5)


def forget(limit: Limit, subject: str) -> None:
    """Clear the count of ``subject`` (tests; an administrator unblocking an account)."""
    _count, window = limit.rate()
    current, previous, _elapsed = _keys(limit, subject, window, time.time())
    store.local.delete_many([current, previous])
    store._run(lambda c: c.delete_many([current, previous]))
