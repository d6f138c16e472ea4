"""A game across two Daphne worker processes sharing Redis (as in production): every player
sees each transition exactly once, whichever worker holds their socket and whichever worker's
clock or batcher made it; a player can come back through the other worker; the game advances
with no host connected."""

import asyncio
import json
import resource
from collections import Counter

import pytest
import websockets
from django.conf import settings
from django.test import Client

from core.realtime.protocol import Msg
from live.models import LiveGame, LiveQuestion
from tests.live.factories import CORRECT, WRONG, World
from tests.live.helpers import HostApi
from tests.support.server import start_server

pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ORIGIN = "http://127.0.0.1"
SERVER_ERRORS = ("Traceback", "Too many connections", "Timeout reading", " 500 ")


@pytest.fixture(scope="module")
def workers(django_db_setup, django_db_blocker, redis_url, tmp_path_factory):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < min(hard, 4096):
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    # The prefix of this test run, as every server on the test database has: another prefix
    # would be another installation, whose clock could move these games out of earshot.
    env = {"REDIS_URL": redis_url, "REDIS_PREFIX": settings.REDIS_PREFIX}
    path = tmp_path_factory.mktemp("live-workers")
    with django_db_blocker.unblock():
        a = start_server(path, extra_env=env)
        try:
            b = start_server(path, extra_env=env)
        except BaseException:
            a.stop()
            raise
    yield a, b
    a.stop()
    b.stop()


class Player:
    def __init__(self, server, game_id: int):
        self.url = f"{server.ws_url}/ws/live/{game_id}/play/"
        self.frames: list[dict] = []
        self.ws = None
        self.token = None

    async def open(self):
        self.ws = await websockets.connect(self.url, origin=ORIGIN, compression=None, open_timeout=20)
        return self

    async def until(self, pred, timeout=15.0) -> dict:
        async with asyncio.timeout(timeout):
            while True:
                msg = json.loads(await self.ws.recv())
                self.frames.append(msg)
                if pred(msg):
                    return msg

    async def state(self, phase, index=None, timeout=15.0):
        return await self.until(
            lambda m: m["type"] == Msg.LIVE_STATE and m["phase"] == phase and (index is None or m["index"] == index),
            timeout,
        )

    async def send(self, body: dict):
        await self.ws.send(json.dumps(body))


def states_seen(player: Player) -> Counter:
    return Counter((f["phase"], f["index"], f["v"]) for f in player.frames if f["type"] == Msg.LIVE_STATE)


async def _to_thread(fn, *args, **kwargs):
    return await asyncio.get_running_loop().run_in_executor(None, lambda: fn(*args, **kwargs))


def test_a_game_across_two_workers(workers):
    a, b = workers
    world = World(questions=3)
    game = world.game(time_limit_s=3)
    host_a, host_b = HostApi(a.url, world.teacher), HostApi(b.url, world.teacher)
    browser = Client()
    browser.force_login(world.teacher)
    session = browser.cookies["sessionid"].value

    async def main():
        # The host console connects through worker A, then its browser goes away.
        host_ws = await websockets.connect(
            f"{a.ws_url}/ws/live/{game.pk}/host/", origin=ORIGIN, additional_headers={"Cookie": f"sessionid={session}"}
        )
        snapshot = json.loads(await asyncio.wait_for(host_ws.recv(), 10))
        assert (snapshot["type"], snapshot["phase"]) == (Msg.LIVE_STATE, "lobby")

        players = [await Player(a if i % 2 == 0 else b, game.pk).open() for i in range(6)]
        for i, p in enumerate(players):
            await p.send({"type": Msg.LIVE_JOIN, "pin": game.pin, "nickname": f"Người {i}", "ref": 1})
            joined = await p.until(lambda m: m["type"] in (Msg.LIVE_JOINED, Msg.ERROR))
            assert joined["type"] == Msg.LIVE_JOINED, joined
            p.token = joined["token"]
        lobby = json.loads(await asyncio.wait_for(host_ws.recv(), 10))
        assert lobby["type"] in (Msg.LIVE_LOBBY, Msg.LIVE_COUNT)
        await host_ws.close()

        # Q0 through worker B; everyone answers, so whichever worker sees the last answer closes it.
        await _to_thread(host_b.control, game.pk, "next")
        for p in players:
            await p.state("question", 0)
        for i, p in enumerate(players):
            await p.send({"type": Msg.LIVE_ANSWER, "index": 0, "response": {"choice": CORRECT if i < 3 else WRONG}})
            ack = await p.until(lambda m: m["type"] in (Msg.LIVE_ANSWERED, Msg.ERROR))
            assert ack["type"] == Msg.LIVE_ANSWERED, ack
        for p in players:
            results = await p.state("results", 0)
            assert results["results"]["reason"] == "all_answered"
            assert results["results"]["distribution"][CORRECT] == 3
            you = await p.until(lambda m: m["type"] == Msg.LIVE_YOU and m["index"] == 0)
            assert you["rank"] is not None

        # Leaderboard through A, Q1 through B; nobody answers and no host is connected: both
        # workers' clocks race for the deadline, and the question closes once.
        await _to_thread(host_a.control, game.pk, "next")
        await _to_thread(host_b.control, game.pk, "next")
        for p in players:
            await p.state("question", 1)
        for p in players:
            assert (await p.state("results", 1, timeout=10))["results"]["reason"] == "deadline"

        # Q2: player 0 (on A) drops and comes back through B, mid-question, as the same player.
        await _to_thread(host_a.control, game.pk, "next")
        await _to_thread(host_a.control, game.pk, "next")
        for p in players:
            await p.state("question", 2)
        await players[0].send({"type": Msg.LIVE_ANSWER, "index": 2, "response": {"choice": CORRECT}})
        await players[0].until(lambda m: m["type"] == Msg.LIVE_ANSWERED)
        await players[0].ws.close()
        back = await Player(b, game.pk).open()
        await back.send({"type": Msg.LIVE_RESUME, "token": players[0].token})
        rejoined = await back.until(lambda m: m["type"] == Msg.LIVE_JOINED)
        assert rejoined["player"]["name"] == "Người 0"
        await back.state("question", 2)
        you = await back.until(lambda m: m["type"] == Msg.LIVE_YOU)
        assert you["current"] == {"index": 2, "answered": True}
        players[0] = back

        # The host ends the game through B: the podium reaches everyone on both workers.
        await _to_thread(host_b.control, game.pk, "end")
        podium = [await p.state("ended") for p in players]
        assert all(p["podium"] == podium[0]["podium"] for p in podium)
        assert podium[0]["podium"]["top"][0]["name"] == "Người 0"  # 2 right answers
        for p in players:
            seen = states_seen(p)
            duplicates = {k: n for k, n in seen.items() if n > 1}
            assert not duplicates, f"a transition reached a player twice: {duplicates}"
            await p.ws.close()
        return players

    players = asyncio.run(main())
    game.refresh_from_db()
    assert game.phase == "ended"
    # Each question opened once and closed once.
    assert list(LiveQuestion.objects.filter(game=game).values_list("index", "close_reason")) == [
        (0, "all_answered"),
        (1, "deadline"),
        (2, "ended"),
    ]
    # Every player but the one who came back saw every transition, each exactly once.
    versions = sorted({v for p in players[1:] for (_phase, _index, v) in states_seen(p)})
    assert versions == list(range(versions[0], LiveGame.objects.get(pk=game.pk).version + 1))
    for server in (a, b):
        log = server.log()
        assert not [e for e in SERVER_ERRORS if e in log], log[-3000:]
