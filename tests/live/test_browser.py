"""A real classroom game in Chromium: the host console and three phones in separate browser
contexts play three questions; one phone reloads mid-game and carries on as the same player;
the podium shows the right order on the host's screen and on the phones."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.live.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN"}
# Choice c1 is right; the tiles are in order c0..c3 (no shuffling), so tile 1 is right.
RIGHT, WRONG = 1, 2


def test_host_and_three_phones_play_a_game(browser, live_server_asgi):
    world = World(questions=3)
    game = world.game(mode="classic", time_limit_s=60)
    base = live_server_asgi.url

    # The teacher's session (the server's password hashers differ from the tests' fast one).
    client = Client()
    client.force_login(world.teacher)
    host_ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    host_ctx.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    host = host_ctx.new_page()
    host.set_default_timeout(15_000)
    host.goto(f"{base}/live/{game.pk}/host/")
    expect(host.locator(".pin")).to_have_text(game.pin)
    expect(host.locator("#conn")).to_have_text("Đã kết nối")

    phones = {}
    for name in ("An", "Bình", "Châu"):
        ctx = browser.new_context(**PHONE)
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{base}/live/join/?pin={game.pin}")  # the QR code's link: the name form at once
        page.fill("#nickname", name)
        page.click("#name-form button[type=submit]")
        expect(page.locator("#play-stage")).to_contain_text("Bạn đã vào trò chơi!")
        expect(page).to_have_url(re.compile(rf"/live/{game.pk}/play/$"))
        phones[name] = page
    expect(host.locator(".chips li")).to_have_count(3)

    def answer(page, tile):
        page.locator("#play-stage .tile").nth(tile).click()
        # Acknowledged; the last player's answer closes the question at once, so its results
        # may replace the acknowledgement before we look.
        expect(page.locator("#play-stage")).to_contain_text(re.compile("Đã gửi câu trả lời!|Chính xác!|Chưa đúng"))

    def question(number, picks, reload=None):
        host.click("#btn-next")  # start, or next question from the leaderboard
        expect(host.locator("#stage-body")).to_contain_text(f"Câu {number}/3")
        for name, tile in picks.items():
            page = phones[name]
            expect(page.locator("#play-stage .tile")).to_have_count(4)
            if name == reload:
                page.reload()  # mid-question: comes back as the same player, question still open
                expect(page.locator("#me")).to_have_text(name)
                expect(page.locator("#play-stage .tile")).to_have_count(4)
            answer(page, tile)
        for name, tile in picks.items():
            verdict = "Chính xác!" if tile == RIGHT else "Chưa đúng"
            expect(phones[name].locator("#play-stage")).to_contain_text(verdict)
        expect(host.locator("#dist")).to_be_visible()  # the answer distribution chart

    question(1, {"An": RIGHT, "Bình": RIGHT, "Châu": WRONG})
    host.click("#btn-next")
    expect(host.locator("#stage-body")).to_contain_text("Bảng xếp hạng")
    question(2, {"An": RIGHT, "Bình": WRONG, "Châu": RIGHT}, reload="Bình")
    host.click("#btn-next")
    expect(host.locator("#stage-body")).to_contain_text("Bảng xếp hạng")
    question(3, {"An": RIGHT, "Bình": RIGHT, "Châu": WRONG})
    expect(host.locator("#btn-next")).to_have_text("Xem bục vinh quang")
    host.click("#btn-next")

    podium = host.locator(".podium")
    expect(podium.locator(".p1 strong")).to_have_text("An")
    expect(podium.locator(".p2 strong")).to_have_text("Bình")
    expect(podium.locator(".p3 strong")).to_have_text("Châu")
    expect(phones["Bình"].locator("#play-stage")).to_contain_text("Bạn về hạng 2")
    expect(phones["Châu"].locator(".podium .p1 strong")).to_have_text("An")
    for page in [host, *phones.values()]:
        page.context.close()
