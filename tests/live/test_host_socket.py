"""The host console's and projector's socket: a snapshot on (re)connect, who joins, how many
have answered; only for the game's hosts."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from core.realtime.protocol import CLOSE_NOT_FOUND, Msg
from live import services
from tests.live.conftest import ORIGIN, Phone
from tests.live.factories import CORRECT

pytestmark = pytest.mark.django_db(transaction=True)

db = database_sync_to_async


async def _screen(game, user, view="host"):
    client = Client()
    await db(client.force_login)(user)
    headers = [*ORIGIN, (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]
    ws = WebsocketCommunicator(application, f"/ws/live/{game.pk}/{view}/", headers=headers)
    connected, code = await ws.connect(timeout=5)
    return ws, connected, code


async def _next(ws, kind, pred=lambda m: True):
    while True:
        msg = await ws.receive_json_from(timeout=5)
        if msg["type"] == kind and pred(msg):
            return msg


async def test_host_sees_players_join_and_answer(world, live_loop):
    game = await db(world.game)()
    first = await Phone(game.pk).connect()
    await first.join(game.pin, "Trước")
    ws, connected, _ = await _screen(game, world.teacher)
    assert connected
    assert (await ws.receive_json_from(timeout=5))["phase"] == "lobby"
    snapshot = await ws.receive_json_from(timeout=5)
    player = {"id": first.player["id"], "name": "Trước", "team": ""}
    assert snapshot == {"type": Msg.LIVE_LOBBY, "players": 1, "joined": [player], "reset": True}
    second = await Phone(game.pk).connect()
    await second.join(game.pin, "Sau")
    joined = await _next(ws, Msg.LIVE_LOBBY)
    assert (joined["players"], [p["name"] for p in joined["joined"]]) == (2, ["Sau"])
    await db(services.game_next)(user=world.teacher, game_id=game.pk)
    await _next(ws, Msg.LIVE_STATE, lambda m: m["phase"] == "question")
    await first.state("question", 0)
    await first.answer(0, CORRECT)
    count = await _next(ws, Msg.LIVE_COUNT)
    assert (count["index"], count["answered"], count["players"]) == (0, 1, 2)
    # The host kicks the second player: the lobby list loses them.
    await db(services.player_kick)(user=world.teacher, game_id=game.pk, player_id=second.player["id"])
    removed = await _next(ws, Msg.LIVE_LOBBY, lambda m: "removed" in m)
    assert removed["removed"] == [second.player["id"]] and removed["players"] == 1
    # The one player left has answered: the question closes by itself.
    assert (await _next(ws, Msg.LIVE_STATE))["phase"] == "results"
    await ws.disconnect()
    projector, connected, _ = await _screen(game, world.teacher, view="screen")
    assert connected and (await projector.receive_json_from(timeout=5))["phase"] == "results"
    await projector.disconnect()


async def test_other_schools_cannot_watch(world, live_loop):
    game = await db(world.game)()
    _ws, connected, code = await _screen(game, world.stranger)
    assert not connected and code == CLOSE_NOT_FOUND
