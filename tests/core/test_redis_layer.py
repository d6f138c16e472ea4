"""The Redis channel layer under a real Daphne process.

redis-py 8 changed two pool defaults that channels-redis 4.3 does not set: a 5 s socket
timeout (it kills idle consumers) and a 100-connection cap (bursts of group_add/discard fail
with "Too many connections" and leave stale group members). These tests would fail without
the overrides in config/settings.py.
"""

import asyncio
import json
import resource
import uuid

import pytest
import redis
import websockets

from core.realtime.protocol import SITE_GROUP, Msg
from tests.support.server import start_server

pytestmark = [pytest.mark.redis, pytest.mark.slow]

ORIGIN = "http://127.0.0.1"
SOCKETS = 1000
SERVER_ERRORS = ("Traceback", "Too many connections", "Timeout reading", "MaxConnectionsError", " 500 ")


@pytest.fixture(scope="module")
def redis_server(django_db_setup, django_db_blocker, redis_url, tmp_path_factory):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, 8192)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    prefix = f"hts-t{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        server = start_server(
            tmp_path_factory.mktemp("redis-daphne"), extra_env={"REDIS_URL": redis_url, "REDIS_PREFIX": prefix}
        )
    server.prefix = prefix
    yield server
    server.stop()


def pubsub_state(redis_url: str, prefix: str) -> tuple[int, int]:
    """(subscribers of the site group, number of the server's own channels)."""
    client = redis.Redis.from_url(redis_url)
    try:
        group_channel = f"{prefix}__group__{SITE_GROUP}"
        ((_, group_subs),) = client.pubsub_numsub(group_channel)
        own = list(client.pubsub_channels(f"{prefix}specific*"))
        return group_subs, len(own)
    finally:
        client.close()


async def ping(ws, ping_id) -> dict:
    await ws.send(json.dumps({"type": Msg.PING, "id": ping_id}))
    while True:
        msg = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if msg["type"] == Msg.PONG:
            return msg


async def test_idle_socket_stays_open_for_30_seconds(redis_server):
    async with websockets.connect(f"{redis_server.ws_url}/ws/time/", origin=ORIGIN, compression=None) as ws:
        assert (await ping(ws, 1))["id"] == 1
        await asyncio.sleep(31)
        # Still the same socket: no close, no reconnect.
        assert (await ping(ws, 2))["id"] == 2
    log = redis_server.log()
    assert not [e for e in SERVER_ERRORS if e in log], log[-3000:]


async def test_1000_sockets_connect_and_close_at_once(redis_server, redis_url):
    async def connect():
        return await websockets.connect(
            f"{redis_server.ws_url}/ws/time/", origin=ORIGIN, compression=None, open_timeout=60, close_timeout=10
        )

    results = await asyncio.gather(*(connect() for _ in range(SOCKETS)), return_exceptions=True)
    sockets = [r for r in results if not isinstance(r, BaseException)]
    failures = [repr(r) for r in results if isinstance(r, BaseException)]
    try:
        assert not failures, failures[:5]
        pongs = await asyncio.gather(*(ping(ws, i) for i, ws in enumerate(sockets)))
        assert [p["id"] for p in pongs] == list(range(SOCKETS))
        group_subs, own_channels = pubsub_state(redis_url, redis_server.prefix)
        assert group_subs == 1  # the process subscribes the group once, whatever its members
        assert own_channels == SOCKETS
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)

    # Every member leaves: no stale subscription for the group or for any consumer channel.
    for _ in range(100):
        if pubsub_state(redis_url, redis_server.prefix) == (0, 0):
            break
        await asyncio.sleep(0.1)
    assert pubsub_state(redis_url, redis_server.prefix) == (0, 0)
    log = redis_server.log()
    assert not [e for e in SERVER_ERRORS if e in log], log[-3000:]
