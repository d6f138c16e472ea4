"""The README's pictures of the room, taken on the demo data in Chromium at the sizes people
use: the projector at 1366x768 (a live question, then the leaderboard), phones at 390x844
(the live answer tiles, a pupil's window round attempt) and the question picker on a laptop.
Each picture is also a check: the PIN band is on the projector in both phases, the boards'
names are at least 4 % of the screen height, the phone shows the tiles without scrolling, the
attempt connects, the picker keeps its ticks across a search.

With ``UPDATE_SCREENSHOTS=1`` the screenshots are written to ``docs/img/``."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from contest.demo import CLASS_ROUND_NAME
from contest.models import Round
from live.models import LiveGame
from quizbank.models import QuestionVersion
from tests.contest.test_browser import session_key
from tests.contest.test_navigation_browser import keep
from tests.contest.test_round_picker_browser import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]

PROJECTOR = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
# Elements reaching past the right edge of the screen, for the failure message.
WIDE_JS = """(width) => [...document.querySelectorAll('body *')]
  .filter((el) => el.getBoundingClientRect().right > width + 1)
  .slice(0, 8).map((el) => `${el.tagName}#${el.id}.${el.className}: ${Math.round(el.getBoundingClientRect().right)}`)"""
PLAYERS = ("Minh Anh", "Bảo Ngọc", "Gia Huy")


def _context(browser, base, viewport, username=None):
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    if username:
        user = get_user_model().objects.get(username=username)
        context.add_cookies([{"name": "sessionid", "value": session_key(user), "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _shot(page, tmp_path, name):
    path = tmp_path / name
    page.screenshot(path=str(path))
    keep(path, name)


def _font_px(locator) -> float:
    return locator.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")


def test_readme_screenshots_of_the_room(live_server_asgi, browser, tmp_path):
    seed_demo()
    base = live_server_asgi.url

    # The teacher opens the demo's warm-up game from "Trò chơi trực tiếp".
    host = _context(browser, base, LAPTOP, "giaovien")
    host.goto(f"{base}/live/")
    host.locator("tr", has_text="Khởi động: An toàn trên mạng").get_by_role("button", name="Mở phòng chờ").click()
    expect(host).to_have_url(re.compile(r"/live/\d+/host/$"))
    game_id = int(re.search(r"/live/(\d+)/host/", host.url).group(1))
    expect(host.locator("#conn")).to_have_text("Đã kết nối")
    pin = host.locator("#pin-band .pin-band-pin strong").inner_text().replace(" ", "")
    screen = _context(browser, base, PROJECTOR, "giaovien")
    screen.goto(f"{base}/live/{game_id}/screen/")
    expect(screen.locator("#conn")).to_have_text("Đã kết nối")

    phones = []
    for name in PLAYERS:
        phone = _context(browser, base, PHONE)
        phone.goto(f"{base}/live/join/?pin={pin}")
        phone.fill("#nickname", name)
        phone.click("#name-form button[type=submit]")
        expect(phone.locator("#play-stage")).to_contain_text("Bạn đã vào trò chơi!")
        phones.append(phone)
    expect(host.locator(".chips li")).to_have_count(len(PLAYERS))

    # A question: two players answer right at once (one faster), so a slow machine cannot
    # make them late; the projector and the third phone are shot before it answers wrong.
    host.click("#btn-next")
    expect(screen.locator("#stage-body")).to_contain_text("Câu 1/")
    expect(screen.locator("#pin-band")).to_contain_text(pin)
    game = LiveGame.objects.get(pk=game_id)
    choices = QuestionVersion.objects.get(pk=game.question_order[0]).choices
    right = next(c["text"] for c in choices if c["correct"])
    wrong = next(c["text"] for c in choices if not c["correct"])
    for phone in phones[:2]:
        phone.locator("#play-stage .tile", has_text=right).click()
    last_phone = phones[2]
    tiles = last_phone.locator("#play-stage .tile")
    expect(tiles.first).to_be_visible()
    n_tiles = tiles.count()
    assert n_tiles == len(choices)
    bottom = tiles.nth(n_tiles - 1).bounding_box()
    assert bottom["y"] + bottom["height"] <= PHONE["height"]  # every tile without scrolling
    expect(screen.locator("#stage-body")).to_contain_text(f"2/{len(PLAYERS)} đã trả lời")
    _shot(screen, tmp_path, "room-question-projector.png")
    _shot(last_phone, tmp_path, "room-phone-tiles.png")
    last_phone.locator("#play-stage .tile", has_text=wrong).click()
    # The results (at once, or at the deadline if the last answer came too late).
    for page in (screen, host):
        expect(page.locator(".dist-count").first).to_be_visible(timeout=40_000)
    host.click("#btn-next")
    expect(screen.locator("#stage-body")).to_contain_text("Bảng xếp hạng")
    expect(screen.locator("#pin-band")).to_contain_text(pin)
    rows = screen.locator(".board li")
    expect(rows).to_have_count(len(PLAYERS))
    expect(rows.first.locator(".n")).to_have_text(PLAYERS[0])
    expect(rows.last.locator(".s")).to_have_text("0")
    for i in range(len(PLAYERS)):
        assert _font_px(rows.nth(i).locator(".n")) >= 0.04 * PROJECTOR["height"]
    _shot(screen, tmp_path, "room-board-projector.png")

    # A pupil's window round on a phone: the demo's homework, question 1.
    pupil = _context(browser, base, PHONE, "hocsinh")
    homework = Round.objects.get(name=CLASS_ROUND_NAME)
    pupil.goto(f"{base}/contest/rounds/{homework.pk}/")
    pupil.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(pupil.get_by_test_id("connection")).to_have_text("Đã kết nối")
    _shot(pupil, tmp_path, "round-attempt-phone.png")

    # The question picker of a class round on a laptop, after a search.
    teacher = _context(browser, base, LAPTOP, "giaovien")
    teacher.goto(f"{base}/contest/class/new/")
    teacher.get_by_label("Tên bài").fill("Ôn tập: mật khẩu và lừa đảo")
    teacher.locator("#pick-list input[name=questions]").nth(1).check()
    teacher.fill("#q", "mat khau")
    teacher.press("#q", "Enter")
    expect(teacher.locator(".pick-total")).to_contain_text("khớp")
    expect(teacher.locator("#pick-list")).not_to_have_attribute("aria-busy", "true")
    teacher.locator("#pick-list input[name=questions]").first.check()
    teacher.locator("#pick-list input[name=questions]").nth(2).check()
    expect(teacher.locator("#chosen-count")).to_have_text("(3 câu đã chọn)")
    expect(teacher.get_by_label("Tên bài")).to_have_value("Ôn tập: mật khẩu và lừa đảo")
    teacher.locator("#pick-filters").scroll_into_view_if_needed()
    teacher.evaluate("window.scrollBy(0, -60)")
    _shot(teacher, tmp_path, "picker-laptop.png")

    # The same picker on a phone: nothing wider than the screen, the ticks still there.
    teacher.set_viewport_size(PHONE)
    teacher.reload()
    teacher.locator("#pick-list input[name=questions]").first.check()
    expect(teacher.locator("#chosen-count")).to_have_text("(1 câu đã chọn)")
    wide = teacher.evaluate(WIDE_JS, PHONE["width"])
    assert teacher.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide
    teacher.locator("#pick-filters").scroll_into_view_if_needed()
    teacher.screenshot(path=str(tmp_path / "picker-phone.png"))

    for page in [host, screen, *phones, pupil, teacher]:
        page.context.close()
