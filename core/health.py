"""``/healthz``: database, cache and channel layer, as JSON; 503 when one is down.

With the PostgreSQL pool, the database check also reports the pool's figures (connections
open, idle, and requests waiting for one), so a bench or an operator can watch the bound.
"""

import asyncio
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

from core.realtime.protocol import Event

CHECK_TIMEOUT_S = 3.0
# The database check runs on threads of its own: on Django's shared sync thread (or any
# thread ``sync_to_async`` waits for) a check stuck on a dead database would hold the answer
# until the pool gives up (DB_POOL_TIMEOUT_S), and a load balancer would see no answer at all.
_DB_CHECKS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz-db")


def _check_database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # back to the pool: these threads do nothing else


async def _check_database_async() -> None:
    await asyncio.get_running_loop().run_in_executor(_DB_CHECKS, _check_database)


def _pool_figures() -> dict | None:
    pool = getattr(connection, "pool", None)
    if pool is None:
        return None
    stats = pool.get_stats()
    return {
        "max": pool.max_size,
        "open": stats.get("pool_size", 0),
        "idle": stats.get("pool_available", 0),
        "waiting": stats.get("requests_waiting", 0),
    }


def _check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    value = cache.get(key)
    cache.delete(key)
    if value != "ok":
        raise RuntimeError("cache did not return the value it stored")


async def _check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    channel = await layer.new_channel("healthz.")
    try:
        await layer.send(channel, {"type": Event.HEALTHZ_PING})
        if getattr(layer, "redis_ok", True) is False:  # it went on without Redis (core.realtime.layers)
            raise RuntimeError("the channel layer cannot reach Redis")
        message = await layer.receive(channel)
        if message.get("type") != Event.HEALTHZ_PING:
            raise RuntimeError("channel layer returned a different message")
    finally:
        if hasattr(layer, "forget"):
            await layer.forget(channel)


async def _timed(name: str, check) -> tuple[str, dict]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check(), CHECK_TIMEOUT_S)
    except Exception as exc:  # noqa: BLE001 - any failure means "down"; report its kind
        return name, {"ok": False, "error": type(exc).__name__, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return name, {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


async def healthz(request):
    results = await asyncio.gather(
        _timed("database", _check_database_async),
        _timed("cache", sync_to_async(_check_cache, thread_sensitive=False)),
        _timed("channel_layer", _check_channel_layer),
    )
    checks = dict(results)
    pool = _pool_figures()
    if pool is not None:
        checks["database"]["pool"] = pool
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", "checks": checks}, status=200 if healthy else 503)
