"""Getting in: PIN guessing is rate-limited, kicked players stay out, nicknames are filtered,
and only the game's hosts see and drive it."""

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from core.realtime.protocol import CLOSE_FORBIDDEN, CLOSE_RATE_LIMITED, Msg
from live import services
from live.models import LiveGame, LivePlayer
from live.names import clean_nickname, is_offensive
from tests.live.conftest import ORIGIN, Phone

pytestmark = pytest.mark.django_db(transaction=True)

db = database_sync_to_async


@pytest.fixture
def five_guesses(settings):
    """Five wrong guesses a minute per address (the default is 20)."""
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "pin": "5/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def _wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 10**7:07d}"


def test_pin_guessing_is_rate_limited_per_address(world, five_guesses):
    game = world.game()
    client = Client(REMOTE_ADDR="10.0.0.7")
    ok = client.post("/api/live/pin/", {"pin": game.pin}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["game"] == game.pk
    for _ in range(5):
        miss = client.post("/api/live/pin/", {"pin": _wrong(game.pin)}, content_type="application/json")
        assert miss.status_code == 404 and miss.json()["error"]["code"] == "bad_pin"
    # Over the limit: refused, even with the right PIN, until the window ends.
    for pin in (_wrong(game.pin), game.pin):
        blocked = client.post("/api/live/pin/", {"pin": pin}, content_type="application/json")
        assert blocked.status_code == 429 and blocked.json()["error"]["code"] == "rate_limited"
    # Another address (another school) is not affected; right PINs are never counted.
    other = Client(REMOTE_ADDR="10.0.0.8")
    for _ in range(10):
        assert other.post("/api/live/pin/", {"pin": game.pin}, content_type="application/json").status_code == 200
    # The class list needs the class code as well, and wrong codes count too.
    bad = client.post("/api/live/roster/", {"pin": game.pin, "class_code": "AAAA"}, content_type="application/json")
    assert bad.status_code == 429


async def test_pin_guessing_over_the_socket_is_limited_and_closes_it(world, live_loop, five_guesses):
    game = await db(world.game)()
    phone = await Phone(game.pk).connect()
    for _ in range(5):
        miss = await phone.join(_wrong(game.pin), "Đoán")
        assert miss["code"] == "bad_pin"
    await phone.comm.send_json_to({"type": Msg.LIVE_JOIN, "pin": game.pin, "nickname": "Đoán"})
    error = await phone.until(lambda m: m["type"] == Msg.ERROR)
    assert error["code"] == "rate_limited"
    assert (await phone.comm.receive_output(timeout=5)) == {"type": "websocket.close", "code": CLOSE_RATE_LIMITED}


def test_roster_list_needs_the_class_code(world):
    game = world.game(roster_classes=[world.klass.pk])
    client = Client()
    info = client.post("/api/live/pin/", {"pin": game.pin}, content_type="application/json").json()
    assert info["join"] == "roster"
    listing = client.post(
        "/api/live/roster/", {"pin": game.pin, "class_code": game.class_code}, content_type="application/json"
    )
    assert [s["name"] for s in listing.json()["students"]] == sorted(
        (p.full_name for p in world.pupils), key=lambda n: n.split()[-1]
    )
    wrong = client.post("/api/live/roster/", {"pin": game.pin, "class_code": "QQQQ"}, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "bad_class_code"
    assert "students" not in wrong.json()


async def test_a_kicked_player_cannot_come_back_as_the_same_player(world, live_loop):
    game = await db(world.game)()
    phone = await Phone(game.pk).connect()
    await phone.join(game.pin, "Phá Đám")
    token, player_id = phone.token, phone.player["id"]
    await db(services.player_kick)(user=world.teacher, game_id=game.pk, player_id=player_id)
    kicked = await phone.until(lambda m: m["type"] == Msg.LIVE_KICKED)
    assert kicked["message"]
    assert (await phone.comm.receive_output(timeout=5))["code"] == CLOSE_FORBIDDEN
    # The token is dead...
    back = await Phone(game.pk).connect()
    assert (await back.resume(token))["type"] == Msg.LIVE_KICKED
    # ...and so is the nickname (in any case or accents).
    again = await Phone(game.pk).connect()
    refused = await again.join(game.pin, "phá đám")
    assert refused["type"] == Msg.ERROR and refused["code"] == "kicked"
    assert (await again.comm.receive_output(timeout=5))["code"] == CLOSE_FORBIDDEN
    assert await db(lambda: LivePlayer.objects.filter(game=game).count())() == 1


async def test_a_kicked_account_cannot_rejoin(world, live_loop):
    game = await db(world.game)()
    pupil = world.pupils[0]
    client = Client()
    await db(client.force_login)(pupil.user)
    headers = [*ORIGIN, (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]
    phone = await Phone(game.pk, headers=headers).connect()
    joined = await phone.join(game.pin, "Tài khoản")
    assert joined["type"] == Msg.LIVE_JOINED
    # Signed in, joining again (another tab) is the same player, not a second one.
    tab = await Phone(game.pk, headers=headers).connect()
    again = await tab.join(game.pin, "Tên khác")
    assert again["player"]["id"] == joined["player"]["id"]
    await db(services.player_kick)(user=world.teacher, game_id=game.pk, player_id=joined["player"]["id"])
    await tab.until(lambda m: m["type"] == Msg.LIVE_KICKED)
    third = await Phone(game.pk, headers=headers).connect()
    refused = await third.join(game.pin, "Tên mới nữa")
    assert refused["type"] == Msg.ERROR and refused["code"] == "kicked"


async def test_offensive_and_duplicate_nicknames_are_refused(world, live_loop):
    game = await db(world.game)()
    phone = await Phone(game.pk).connect()
    for name, code in [("đ.m", "name_offensive"), ("F u c k", "name_offensive"), ("", "name_required"),
                       ("x" * 30, "name_too_long"), ("!!!", "name_invalid")]:  # fmt: skip
        refused = await phone.join(game.pin, name)
        assert (refused["type"], refused["code"]) == (Msg.ERROR, code), name
        assert refused["message"]
    assert (await phone.join(game.pin, "Hoa Hồng"))["type"] == Msg.LIVE_JOINED
    twin = await Phone(game.pk).connect()
    assert (await twin.join(game.pin, "hoa  hong"))["code"] == "name_taken"
    await twin.close()
    await phone.close()


@pytest.mark.parametrize(
    "name",
    ["Long", "Các bạn", "Đeo kính", "Lợn con", "Hải Đăng", "Ngư dân", "Đi học", "Minh Đức 9A1", "Hà My", "Lớn"],
)
def test_ordinary_vietnamese_names_pass(name):
    assert not is_offensive(name)
    assert clean_nickname(f"  {name}  ") == name


@pytest.mark.parametrize(
    "name", ["địt mẹ", "d1t m3", "f*ck", "fuuuck", "dm", "vcl", "ĐỤ", "lồn", "lon", "con cặc", "sh1t", "óc chó"]
)
def test_insults_are_caught_with_or_without_accents(name):
    assert is_offensive(name)


def test_hosts_of_other_schools_see_nothing(world):
    game = world.game()
    stranger = Client()
    stranger.force_login(world.stranger)
    assert stranger.get(f"/api/live/games/{game.pk}/").status_code == 404
    assert stranger.post(f"/api/live/games/{game.pk}/next/", {}, content_type="application/json").status_code == 404
    assert stranger.get(f"/live/{game.pk}/host/").status_code == 404
    pupil = Client()
    pupil.force_login(world.pupils[0].user)
    assert pupil.post(f"/api/live/games/{game.pk}/end/", {}, content_type="application/json").status_code == 403
    assert LiveGame.objects.get(pk=game.pk).phase == "lobby"
