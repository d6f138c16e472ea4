import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection

from config.asgi import application
from contest import versions
from core import limits
from core.realtime.protocol import Msg
from live.batcher import batcher
from live.clock import clock
from live.hub import hub
from tests.live.factories import World

# Client addresses whose wrong guesses tests count ("unknown": WebsocketCommunicator has none).
GUESSERS = ("unknown", "127.0.0.1", "10.0.0.7", "10.0.0.8", "t")
ORIGIN = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]
CORRECTNESS_KEYS = {"correct", "correct_choices", "correct_response", "explanation_html", "points", "fraction",
                    "weight", "accepted", "results", "distribution"}  # fmt: skip


@pytest.fixture
def world(transactional_db):
    return World()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Forget cached versions and the wrong-guess counts of the addresses tests use. Only
    these keys: the cache may be a Redis shared with other test workers."""
    versions.forget()
    for address in GUESSERS:
        limits.forget(limits.PIN_ADDRESS, address)
    yield
    for address in GUESSERS:
        limits.forget(limits.PIN_ADDRESS, address)


@pytest.fixture
async def live_loop():
    """Stop the hub and the clock bound to this test's event loop when the test ends."""
    yield
    await hub.shutdown()
    await asyncio.get_running_loop().run_in_executor(None, _close_threads)
    # The thread of database_sync_to_async keeps its connection too (CONN_MAX_AGE).
    await database_sync_to_async(lambda: connection.close())()


def _close_threads():
    for executor in (batcher._executor, clock._executor):
        executor.submit(lambda: connection.close()).result(timeout=10)


def walk_keys(value, path=""):
    """Every (path, key) of a JSON value: to look for correctness anywhere in a payload."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key
            yield from walk_keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk_keys(item, f"{path}[{i}]")


class Phone:
    """One player's socket through the real ASGI stack; keeps every frame it received."""

    def __init__(self, game_id: int, headers=None):
        self.game_id = game_id
        self.comm = WebsocketCommunicator(application, f"/ws/live/{game_id}/play/", headers=headers or ORIGIN)
        self.frames: list[dict] = []
        self.player = None
        self.token = None

    async def connect(self):
        connected, _ = await self.comm.connect(timeout=5)
        assert connected
        return self

    async def recv(self, timeout=5.0) -> dict:
        msg = await self.comm.receive_json_from(timeout=timeout)
        self.frames.append(msg)
        return msg

    async def until(self, pred, timeout=8.0) -> dict:
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            left = end - loop.time()
            if left <= 0:
                raise AssertionError(f"timed out; last frames: {self.frames[-5:]}")
            msg = await self.recv(timeout=left)
            if pred(msg):
                return msg

    async def state(self, phase, index=None, timeout=8.0) -> dict:
        return await self.until(
            lambda m: m["type"] == Msg.LIVE_STATE and m["phase"] == phase and (index is None or m["index"] == index),
            timeout,
        )

    async def join(self, pin, nickname=None, **extra) -> dict:
        body = {"type": Msg.LIVE_JOIN, "pin": pin, "ref": 1, **extra}
        if nickname is not None:
            body["nickname"] = nickname
        await self.comm.send_json_to(body)
        msg = await self.until(lambda m: m["type"] in (Msg.LIVE_JOINED, Msg.ERROR))
        if msg["type"] == Msg.LIVE_JOINED:
            self.player, self.token = msg["player"], msg["token"]
        return msg

    async def resume(self, token) -> dict:
        await self.comm.send_json_to({"type": Msg.LIVE_RESUME, "token": token, "ref": 2})
        msg = await self.until(lambda m: m["type"] in (Msg.LIVE_JOINED, Msg.ERROR, Msg.LIVE_KICKED))
        if msg["type"] == Msg.LIVE_JOINED:
            self.player, self.token = msg["player"], msg["token"]
        return msg

    async def answer(self, index, choice, ref=10) -> dict:
        await self.comm.send_json_to(
            {"type": Msg.LIVE_ANSWER, "index": index, "response": {"choice": choice}, "ref": ref}
        )
        return await self.until(lambda m: m["type"] in (Msg.LIVE_ANSWERED, Msg.ERROR) and m.get("ref") == ref)

    async def close(self):
        await self.comm.disconnect()
