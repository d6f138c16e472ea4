"""A cheap phone shows the join form and the answer tiles from the HTML alone: with scripts off,
the PIN form leads to the name form, and a game page opened mid-question shows the question
and its four tiles. With scripts on, a phone that has not joined gets the PIN form instead."""

import re

import pytest
from playwright.sync_api import expect

from live import services
from live.models import LiveGame, Phase
from tests.live.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN"}


def test_join_form_and_tiles_without_scripts(browser, live_server_asgi):
    world = World(questions=2)
    game = world.game(mode="classic", time_limit_s=120)
    base = live_server_asgi.url
    ctx = browser.new_context(**PHONE, java_script_enabled=False)
    page = ctx.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{base}/live/join/")
    expect(page.locator("#pin-form")).to_be_visible()
    page.fill("#pin-input", game.pin)
    page.click("#pin-form button[type=submit]")
    expect(page.locator("#name-form")).to_be_visible()
    expect(page.locator("#game-name")).to_have_text("Trò chơi thử")
    expect(page.locator("#pin-form")).to_be_hidden()

    page.goto(f"{base}/live/join/?pin=000000")
    expect(page.locator("#play-msg")).to_have_text("Không có trò chơi nào với mã PIN này.")
    expect(page.locator("#pin-form")).to_be_visible()

    services.game_next(user=world.teacher, game_id=game.pk)
    assert LiveGame.objects.get(pk=game.pk).phase == Phase.QUESTION
    page.goto(f"{base}/live/{game.pk}/play/")
    expect(page.locator("#play-stage .stem")).to_contain_text("Câu hỏi số 1")
    tiles = page.locator("#play-stage .tile")
    expect(tiles).to_have_count(4)
    for i in range(4):
        expect(tiles.nth(i)).to_be_visible()
    expect(tiles.first).to_have_attribute("aria-label", re.compile(r"^tam giác: \S"))
    ctx.close()

    # With scripts, a phone that never joined this game is asked for the PIN, not shown tiles.
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    page.goto(f"{base}/live/{game.pk}/play/")
    expect(page.locator("#pin-form")).to_be_visible()
    expect(page.locator("#play-stage .tile")).to_have_count(0)
    ctx.close()
