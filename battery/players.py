"""Players of the battery's live game: phones on either worker that keep every frame they get,
and come back through the other worker with their token when their socket drops."""

from __future__ import annotations

import asyncio
import json
import time

from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException


class Phone:
    def __init__(self, index: int, game_id: int, urls: list[str]):
        self.index, self.game_id, self.urls = index, game_id, urls
        self.worker = index % len(urls)
        self.ws = None
        self.token = None
        self.frames: list[tuple[float, dict]] = []  # (monotonic time received, message)
        self.conns: list[int] = []  # the connection number of each frame
        self.conn = 0
        self.score = None  # the last score the server told this phone (live.you)
        self.score_after_resume = None

    @property
    def url(self) -> str:
        return f"{self.urls[self.worker]}/ws/live/{self.game_id}/play/"

    async def open(self) -> None:
        origin = self.urls[self.worker].replace("ws://", "http://")
        self.conn += 1
        self.ws = await connect(self.url, origin=origin, open_timeout=20, ping_interval=None, compression=None)

    async def send(self, body: dict) -> None:
        await self.ws.send(json.dumps(body))

    async def until(self, pred, timeout: float = 20.0) -> dict:
        async with asyncio.timeout(timeout):
            while True:
                msg = json.loads(await self.ws.recv())
                self.frames.append((time.monotonic(), msg))
                self.conns.append(self.conn)
                if msg["type"] == "live.you" and "score" in msg:
                    self.score = msg["score"]
                if pred(msg):
                    return msg

    async def state(self, phase: str, index: int | None = None, timeout: float = 20.0) -> dict:
        return await self.until(
            lambda m: m["type"] == "live.state" and m["phase"] == phase and (index is None or m["index"] == index),
            timeout,
        )

    async def join(self) -> None:
        await self.open()
        pin = await self._pin()
        await self.send({"type": "live.join", "ref": 1, "pin": pin, "nickname": f"Máy {self.index}"})
        joined = await self.until(lambda m: m["type"] in ("live.joined", "error"))
        if joined["type"] != "live.joined":
            raise RuntimeError(f"phone {self.index} could not join: {joined}")
        self.token = joined["token"]

    async def _pin(self) -> str:
        from live.models import LiveGame

        return await asyncio.to_thread(lambda: LiveGame.objects.get(pk=self.game_id).pin)

    async def resume_elsewhere(self, timeout: float = 30.0) -> float:
        """Reconnect through another worker as the same player; seconds until back."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            self.worker = (self.worker + 1) % len(self.urls)
            try:
                await self.open()
                await self.send({"type": "live.resume", "ref": 2, "token": self.token})
                await self.until(lambda m: m["type"] == "live.joined", timeout=10)
                you = await self.until(lambda m: m["type"] == "live.you", timeout=10)
                # Told on the way back: the score as of the last closed question.
                self.score_after_resume = you.get("score")
                return time.monotonic() - began
            except (OSError, WebSocketException, TimeoutError):
                await asyncio.sleep(0.3)
        raise RuntimeError(f"phone {self.index} could not come back in {timeout:.0f} s")

    def transitions(self) -> list[tuple[int, str, int, int]]:
        """(connection, phase, index, version) of each state received: a connection that gets one
        twice saw a transition twice (a reconnect rightly gets the current state again)."""
        return [
            (c, m["phase"], m["index"], m["v"])
            for (_t, m), c in zip(self.frames, self.conns, strict=True)
            if m["type"] == "live.state"
        ]

    def close_time(self, index: int) -> float | None:
        """When this phone learned that question ``index`` closed (its results state)."""
        for t, m in self.frames:
            if m["type"] == "live.state" and m["phase"] == "results" and m["index"] == index:
                return t
        return None
