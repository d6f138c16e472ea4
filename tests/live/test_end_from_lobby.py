"""A game ended from the lobby: nobody played a question, so no podium (not a 1/2/3 of
everyone at 0 points) on the host's screen and on the phones, and nobody is ranked."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from contest.models import Attempt
from live import services
from live.models import LiveGame
from tests.live.factories import World
from tests.live.test_browser import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.browser
def test_ending_from_the_lobby_shows_no_podium(browser, live_server_asgi):
    world = World(questions=3)
    game = world.game(mode="classic", time_limit_s=60)
    base = live_server_asgi.url
    client = Client()
    client.force_login(world.teacher)
    host_ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    host_ctx.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    host = host_ctx.new_page()
    host.goto(f"{base}/live/{game.pk}/host/")
    expect(host.locator("#conn")).to_have_text("Đã kết nối")
    phones = []
    for name in ("An", "Bình"):
        page = browser.new_context(**PHONE).new_page()
        page.goto(f"{base}/live/join/?pin={game.pin}")
        page.fill("#nickname", name)
        page.click("#name-form button[type=submit]")
        expect(page).to_have_url(re.compile(rf"/live/{game.pk}/play/$"))
        phones.append(page)
    expect(host.locator(".chips li")).to_have_count(2)

    # Asked in the page's own dialog (a projector's browser may block window.confirm):
    # "Hủy" leaves the game as it was, "Kết thúc" ends it.
    native = []
    host.on("dialog", lambda d: (native.append(d.message), d.dismiss()))
    host.locator('[data-action="end"]').click()
    dialog = host.locator("#host-confirm")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Kết thúc trò chơi ngay bây giờ?")
    dialog.get_by_role("button", name="Hủy").click()
    expect(dialog).to_be_hidden()
    expect(host.get_by_test_id("no-podium")).to_be_hidden()
    assert LiveGame.objects.get(pk=game.pk).phase == "lobby"
    host.locator('[data-action="end"]').click()
    host.get_by_test_id("host-confirm-ok").click()
    expect(host.get_by_test_id("no-podium")).to_be_visible()
    expect(host.locator(".podium")).to_have_count(0)
    for page in phones:
        expect(page.get_by_test_id("no-podium")).to_be_visible()
        expect(page.locator(".podium .step")).to_have_count(0)
        page.context.close()
    host_ctx.close()
    assert native == []  # no window.confirm
    game = LiveGame.objects.get(pk=game.pk)
    assert game.final_board["played"] is False and game.final_board["top"] == []
    assert not Attempt.objects.filter(round_id=game.round_id, rank__isnull=False).exists()


def test_a_game_that_was_played_keeps_its_podium_flag(world):
    game = world.game(mode="classic")
    services.game_next(user=world.teacher, game_id=game.pk)  # the first question opens
    ended = services.game_end(user=world.teacher, game_id=game.pk)
    assert ended.final_board["played"] is True
