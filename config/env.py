"""Read settings from the environment, failing loudly on bad values.

Every helper raises ``ImproperlyConfigured`` with the variable's name, so a typo in a
deployment stops the process at start-up instead of surfacing as a strange error later.
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list:
    """A comma-separated list of addresses or networks (``10.0.0.0/8``, ``::1``)."""
    import ipaddress

    out = []
    for item in env_list(name, default):
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must list IP addresses or networks, got {item!r}") from exc
    return out


_RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(raw: str) -> tuple[int, int]:
    """ "10/h", "300/hour", "20/min", "5/15m" -> (count, window seconds); ValueError otherwise."""
    count, _sep, period = str(raw).strip().partition("/")
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period[len(digits) :][:1].lower()
    if not count.strip().isdigit() or int(count) < 1 or unit not in _RATE_UNITS or period[: len(digits)] != digits:
        raise ValueError(f"not a rate: {raw!r} (e.g. 10/h, 300/hour, 20/min)")
    return int(count), int(digits or 1) * _RATE_UNITS[unit]


def env_rate(name: str, default: str) -> str:
    """A rate such as "10/h" (count per period), checked at start-up."""
    raw = os.environ.get(name, default)
    try:
        parse_rate(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a rate such as 10/h or 20/min, got {raw!r}") from exc
    return raw


# Several writers (web workers, the clocks, the batchers) share one SQLite file: wait for the
# lock instead of failing, take it at BEGIN so two writers never deadlock, and let readers
# read while one writes.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database_pool() -> dict | None:
    """The PostgreSQL connection pool of one process, from ``DB_POOL_*`` (None: no pool).

    Each process (a Daphne worker, the clock) holds at most ``DB_POOL_MAX`` backends, whatever
    its threads do: a request's thread, the websocket thread, the group-commit writers and the
    live clock all borrow from the pool and give the connection back after each unit of work.
    Above the bound a thread waits up to ``DB_POOL_TIMEOUT_S`` for a connection. An idle pool
    gives back one connection every ``DB_POOL_IDLE_S`` until ``DB_POOL_MIN`` are left.
    ``DB_POOL_MAX=0`` turns the pool off (behind PgBouncer): a connection per unit of work.
    """
    maximum = env_int("DB_POOL_MAX", 10, minimum=0)
    if maximum == 0:
        return None
    minimum = env_int("DB_POOL_MIN", 2, minimum=0)
    if minimum > maximum:
        raise ImproperlyConfigured(f"DB_POOL_MIN ({minimum}) must not exceed DB_POOL_MAX ({maximum})")
    return {
        "min_size": minimum,
        "max_size": maximum,
        "timeout": env_float("DB_POOL_TIMEOUT_S", 10.0, minimum=0.1),
        "max_idle": env_float("DB_POOL_IDLE_S", 60.0, minimum=0.1),
    }


def database_from_url(url: str) -> dict:
    """Turn ``DATABASE_URL`` into a Django database dict; only PostgreSQL and SQLite.

    ``CONN_MAX_AGE`` is 0: under ASGI a sync view runs on a thread of the request's own, so a
    persistent connection would be left behind with each thread (one backend per request,
    closed only by the garbage collector). On PostgreSQL the pool keeps connections instead,
    and checks each one before handing it out (``conn_health_checks``), so a connection that
    died with a database restart is replaced rather than used.
    """
    import dj_database_url

    scheme = urlsplit(url).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(f"DATABASE_URL must start with postgres:// or sqlite://, got scheme {scheme!r}")
    try:
        config = dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid URL: {exc}") from exc
    if scheme == "sqlite":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    else:
        if not config.get("NAME"):
            raise ImproperlyConfigured("DATABASE_URL must name a database, e.g. postgres://user@host:5432/hoithiso")
        if not config.get("HOST"):
            raise ImproperlyConfigured("DATABASE_URL must name a host")
        pool = database_pool()
        if pool is not None:
            config["OPTIONS"] = {**config.get("OPTIONS", {}), "pool": pool}
    return config


def redis_url(name: str = "REDIS_URL") -> str:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"{name} must start with redis://, rediss:// or unix://, got {raw!r}")
    if parts.scheme != "unix" and not parts.hostname:
        raise ImproperlyConfigured(f"{name} must name a host, got {raw!r}")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} has a bad port: {raw!r}") from exc
    return raw
