"""``core.realtime.layers.ResilientChannelLayer`` against a Redis of its own that the test
stops and starts: channels and groups keep working in the process while Redis is down, and
Redis is put right (subscribed to what the process holds, nothing more) once it is back."""

import asyncio
import io
import time

import pytest
import redis
from django.core.management import CommandError, call_command

from core.realtime.layers import RETRY_S, ResilientChannelLayer
from tests.support.services import redis_server_path, throwaway_redis

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(redis_server_path() is None, reason="redis-server is not installed"),
]

PREFIX = "hts-layer"


def layer_for(url: str) -> ResilientChannelLayer:
    return ResilientChannelLayer(hosts=[{"address": url, "socket_timeout": None}], prefix=PREFIX)


def subscribed(port: int) -> set[str]:
    return {c.decode() for c in redis.Redis(port=port).pubsub_channels(f"{PREFIX}*")}


async def until(predicate, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.05)


async def test_channels_and_groups_outlive_redis_and_redis_is_put_right():
    with throwaway_redis() as server:
        mine, other = layer_for(server.url), layer_for(server.url)
        kept = await mine.new_channel()
        await mine.group_add("g", kept)

        server.stop()
        # A socket that opens while Redis is down gets its channel and joins its group.
        fresh = await mine.new_channel()
        await mine.group_add("g", fresh)
        await mine.group_add("h", fresh)
        await mine.group_discard("h", fresh)
        await other.group_send("g", {"type": "lost"})  # dropped, not raised
        assert not mine.redis_ok

        # One that leaves meanwhile: its receive is cancelled, as Channels does.
        leaving = await mine.new_channel()
        task = asyncio.ensure_future(mine.receive(leaving))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

        server.start()
        await until(lambda: mine.redis_ok)
        group = f"{PREFIX}__group__g"
        assert subscribed(server.port) >= {kept, fresh, group}
        assert leaving not in subscribed(server.port) and f"{PREFIX}__group__h" not in subscribed(server.port)

        for _ in range(50):  # the other layer's publish connection reconnects on first use
            await other.group_send("g", {"type": "back"})
            try:
                got = await asyncio.wait_for(mine.receive(fresh), 0.2)
                break
            except TimeoutError:
                continue
        else:
            raise AssertionError("a group message never reached the channel made while Redis was down")
        assert got == {"type": "back"}
        assert (await asyncio.wait_for(mine.receive(kept), 5)) == {"type": "back"}
        await mine.flush()
        await other.flush()


def test_a_site_notice_that_cannot_reach_redis_is_reported_not_claimed(settings):
    with throwaway_redis() as server:
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "core.realtime.layers.ResilientChannelLayer",
                "CONFIG": {"hosts": [{"address": server.url}], "prefix": PREFIX},
            }
        }
        call_command("broadcast_notice", "Máy chủ khởi động lại lúc 22:00", stdout=io.StringIO())
        server.stop()
        with pytest.raises(CommandError, match="not sent"):
            call_command("broadcast_notice", "Máy chủ khởi động lại lúc 22:00", stdout=io.StringIO())
        # A process without sockets (this command, the clock) finds Redis back by itself.
        server.start()
        time.sleep(RETRY_S)
        call_command("broadcast_notice", "Máy chủ khởi động lại lúc 22:00", stdout=io.StringIO())
