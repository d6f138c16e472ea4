"""What the room sees, measured in Chromium: the PIN band on the host console and the projector
in every phase of the game (1366x768 and 1920x1080); text sizes of the boards as a share of
the screen height; counts on the answer chart; the results fitting without scrolling; the QR
code filling its box; and on a 390x844 phone, the result tiles (tick, fade, own wrong choice)
with WCAG AA contrast computed from the computed styles.

With ``LIVE_SCREENSHOTS=<dir>`` set, the test also saves the screenshots shown in the README.
"""

import os
import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from quizbank.models import Status
from tests.live.factories import World
from tests.quizbank import factories as qf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECTORS = [(1366, 768), (1920, 1080)]
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "vi-VN"}
RIGHT, WRONG = 1, 2  # qf.single(correct=1), choices not shuffled
SHOTS = os.environ.get("LIVE_SCREENSHOTS")

# WCAG relative luminance and contrast, from "rgb(r, g, b)" / "rgba(...)" computed colours.
CONTRAST_JS = """(el) => {
  const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const text = el.querySelector('.tile-text') || el;
  const style = getComputedStyle(el);
  const a = lum(rgb(getComputedStyle(text).color)), b = lum(rgb(style.backgroundColor));
  return {ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), opacity: Number(style.opacity),
          bg: style.backgroundColor};
}"""


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name))


def _font_px(locator) -> float:
    return locator.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    vp = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= vp["height"] and box["width"] > 0


def test_pin_band_readability_and_phone_results(browser, live_server_asgi):
    world = World(questions=0)
    world.questions = [
        qf.make(
            content=qf.single(
                stem=f"Ngày Chuyển đổi số quốc gia là ngày nào? ({i + 1})",
                correct=1,
                explanation="Ngày 10/10 hằng năm là Ngày Chuyển đổi số quốc gia (Quyết định 505/QĐ-TTg).",
            ),
            status=Status.APPROVED,
        )
        for i in range(2)
    ]
    game = world.game(mode="classic", time_limit_s=60)
    base = live_server_asgi.url
    client = Client()
    client.force_login(world.teacher)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}

    def staff_page(path, width, height):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        ctx.add_cookies([cookie])
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{base}{path}")
        expect(page.locator("#conn")).to_have_text("Đã kết nối")
        return page

    host = staff_page(f"/live/{game.pk}/host/", 1366, 768)
    host_wide = staff_page(f"/live/{game.pk}/host/", 1920, 1080)  # a second console, watching
    screens = {size: staff_page(f"/live/{game.pk}/screen/", *size) for size in PROJECTORS}

    # Lobby: the QR code fills its box and grows with the screen.
    qr_widths = []
    for (_w, h), screen in screens.items():
        box = screen.locator(".lobby-card .qr").bounding_box()
        svg = screen.locator(".lobby-card .qr svg").bounding_box()
        assert abs(svg["width"] - box["width"]) < 2 and abs(svg["height"] - box["height"]) < 2
        assert box["width"] >= 0.35 * h
        qr_widths.append(box["width"])
    assert qr_widths[1] > qr_widths[0] * 1.3
    _shot(screens[(1366, 768)], "live-lobby-projector.png")

    phones = {}
    for name in ("An", "Bình"):
        page = browser.new_context(**PHONE).new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{base}/live/join/?pin={game.pin}")  # the QR code's link: the name form at once
        page.fill("#nickname", name)
        page.click("#name-form button[type=submit]")
        expect(page.locator("#play-stage")).to_contain_text("Bạn đã vào trò chơi!")
        phones[name] = page
    expect(host.locator(".chips li")).to_have_count(2)

    def band_everywhere(phase_text):
        """The band shows the PIN and the join address, inside the first screenful."""
        for page in [host, host_wide, *screens.values()]:
            expect(page.locator("#stage-body")).to_contain_text(phase_text)
            band = page.locator("#pin-band")
            expect(band).to_be_visible()
            expect(band).to_contain_text(game.pin)
            expect(band.locator(".join-url")).to_contain_text("/live/join/")
            assert _in_viewport(page, band.locator(".pin-band-pin strong")), phase_text
        for (_w, h), screen in screens.items():
            # Readable from the back row: the PIN at >= 4 % of the screen height.
            assert _font_px(screen.locator(".pin-band-pin strong")) >= 0.04 * h

    def contrast_ok(page, selector):
        for i in range(page.locator(selector).count()):
            c = page.locator(selector).nth(i).evaluate(CONTRAST_JS)
            assert c["ratio"] >= 4.5, (selector, i, c)
            assert c["opacity"] == 1, (selector, i, c)

    for number in (1, 2):
        host.click("#btn-next")
        band_everywhere(f"Câu {number}/2")
        for page in phones.values():
            expect(page.locator("#play-stage .tile")).to_have_count(4)
        contrast_ok(phones["An"], "#play-stage .tile")
        if number == 1:
            _shot(screens[(1366, 768)], "live-question-projector.png")
        phones["An"].locator("#play-stage .tile").nth(RIGHT).click()
        phones["Bình"].locator("#play-stage .tile").nth(WRONG).click()

        # Results: both answered, so the question closed at once.
        band_everywhere("2/2 đã trả lời")
        for (_w, h), screen in screens.items():
            counts = screen.locator(".dist-count")
            expect(counts).to_have_text(["0", "1", "1", "0"])
            expect(screen.locator(".dist-col.right .tick")).to_have_count(1)
            expect(screen.locator(".tiles .tile.correct .tick")).to_have_count(1)
            expect(screen.locator(".explanation")).to_contain_text("Quyết định 505")
            # Everything fits: no scrolling, the explanation inside the screen.
            assert screen.evaluate("document.documentElement.scrollHeight") <= h + 1
            assert _in_viewport(screen, screen.locator(".explanation"))
        if number == 1:
            _shot(screens[(1366, 768)], "live-results-projector.png")

        an, binh = phones["An"], phones["Bình"]
        expect(an.locator("#play-stage")).to_contain_text("Chính xác!")
        expect(binh.locator("#play-stage")).to_contain_text("Chưa đúng")
        for page in (an, binh):
            tiles = page.locator("#play-stage .tile")
            expect(tiles.nth(RIGHT).locator(".tick")).to_have_text("✔")
            expect(page.locator("#play-stage .tile .tick")).to_have_count(1)
            # The right tile keeps its colour; the others fade to the pale tile.
            right_bg = tiles.nth(RIGHT).evaluate("(el) => getComputedStyle(el).backgroundColor")
            other_bg = tiles.nth(0).evaluate("(el) => getComputedStyle(el).backgroundColor")
            assert right_bg == "rgb(19, 104, 206)" and other_bg != right_bg
            contrast_ok(page, "#play-stage .tile")
        expect(binh.locator("#play-stage .tile.mine-wrong")).to_have_count(1)
        expect(binh.locator("#play-stage .tile").nth(WRONG).locator(".cross")).to_have_text("✘")
        expect(binh.locator("#play-stage .tile").nth(WRONG)).to_contain_text("Bạn chọn")
        expect(an.locator("#play-stage .tile.mine-wrong")).to_have_count(0)
        if number == 1:
            _shot(binh, "live-phone-results.png")

        if number == 1:
            host.click("#btn-next")
            band_everywhere("Bảng xếp hạng")
            for (_w, h), screen in screens.items():
                rows = screen.locator(".board li")
                expect(rows).to_have_count(2)
                for i in range(2):
                    assert _font_px(rows.nth(i).locator(".n")) >= 0.04 * h
                    assert _font_px(rows.nth(i).locator(".s")) >= 0.04 * h
            _shot(screens[(1920, 1080)], "live-board-projector-1080.png")

    host.click("#btn-next")  # the podium
    for page in [host, host_wide, *screens.values()]:
        expect(page.locator(".podium .p1 strong")).to_have_text("An")
        expect(page.locator("#pin-band")).to_be_hidden()  # the PIN is cleared at the end
    for (_w, h), screen in screens.items():
        assert _font_px(screen.locator(".podium .p1 strong")) >= 0.04 * h
        assert re.search(r"\d", screen.locator(".podium .p1").inner_text())
    _shot(screens[(1366, 768)], "live-podium-projector.png")
    # The teacher's report, from the list of played games.
    host.goto(f"{base}/live/")
    host.get_by_role("link", name="Xem kết quả").click()
    expect(host).to_have_url(re.compile(rf"/live/{game.pk}/report/$"))
    expect(host.locator(".report-players tbody tr")).to_have_count(2)
    expect(host.locator(".report-players tbody tr").first).to_contain_text("An")
    expect(host.locator(".report-players tbody tr").first.locator(".mark-right")).to_have_count(2)
    expect(host.locator(".report-questions > li")).to_have_count(2)
    _shot(host, "live-report.png")
    for page in [host, host_wide, *screens.values(), *phones.values()]:
        page.context.close()
