"""The window round's question picker in Chromium (laptop, 1366x768), on the demo data (300-odd
approved questions in Vietnamese and English in the official bank, pages of 50): the organiser's round form and the
teacher's class round form keep the name, the settings and every ticked question across a
page change and three searches without reloading, and save exactly the ticked questions in
the order they were ticked. A teacher then edits the class round from its page; once pupils
have started (the demo's homework), a change of duration is refused with a message and
nothing changes."""

import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import expect

from contest.demo import CLASS_ROUND_NAME, CONTEST_NAME
from contest.models import Contest, Round
from tests.contest.test_browser import session_key
from tests.contest.test_navigation_browser import SIZES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]


def seed_demo():
    """In a thread of its own: the browser's event loop in this one would refuse the seed's
    realtime sends (async_to_sync)."""

    def run():
        try:
            call_command("seed_demo", allow_demo_passwords=True)
        finally:
            connections.close_all()

    seeder = threading.Thread(target=run)
    seeder.start()
    seeder.join()


def _page(browser, base, username):
    user = get_user_model().objects.get(username=username)
    context = browser.new_context(viewport=SIZES["laptop"], locale="vi-VN")
    context.add_cookies([{"name": "sessionid", "value": session_key(user), "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    return context, page, navigations


def _settled(page) -> None:
    expect(page.locator("#pick-list")).not_to_have_attribute("aria-busy", "true")


def _tick(page, n: int = 0) -> int:
    """Tick the n-th unticked question of the list shown; its id."""
    _settled(page)
    box = page.locator("#pick-list input[name=questions]:not(:checked)").nth(n)
    value = int(box.get_attribute("value"))
    box.check()
    return value


def _pick_across_searches(page) -> list[int]:
    """Tick on page 1, on page 2, then in three searches; returns the ids in ticking order."""
    rows = page.locator("#pick-list .question-pick li")
    expect(rows).to_have_count(50)
    expect(page.locator(".pick-page")).to_have_text(re.compile(r"^Trang 1/\d+$"))
    ticked = [_tick(page), _tick(page, 3)]
    page.click(".pick-pager button:has-text('Trang sau')")
    expect(page.locator(".pick-page")).to_have_text(re.compile(r"^Trang 2/\d+$"))
    ticked.append(_tick(page, 1))
    # Search 1: a word typed without accents.
    page.fill("#q", "mat khau")
    page.press("#q", "Enter")
    expect(page.locator(".pick-total")).not_to_contain_text("182")
    ticked.append(_tick(page))
    # Search 2: hard single-choice questions.
    page.fill("#q", "")
    page.select_option("#pick-filters select[name=difficulty]", "3")
    page.select_option("#pick-filters select[name=qtype]", "single")
    page.click("#pick-find")
    ticked.append(_tick(page))
    # Search 3: English questions carry their badge, and ticking one warns.
    page.select_option("#pick-filters select[name=difficulty]", "")
    page.select_option("#pick-filters select[name=qtype]", "")
    page.select_option("#pick-filters select[name=language]", "en")
    expect(page.locator(".question-pick .lang-badge").first).to_have_text("Tiếng Anh")
    ticked.append(_tick(page))
    expect(page.locator("#lang-warning")).to_be_visible()
    # Back to the whole bank: what was ticked on page 1 is still ticked there.
    page.select_option("#pick-filters select[name=language]", "")
    expect(page.locator(".pick-page")).to_have_text(re.compile(r"^Trang 1/\d+$"))
    _settled(page)
    for qid in ticked[:2]:
        expect(page.locator(f'#pick-list input[value="{qid}"]')).to_be_checked()
    expect(page.locator("#chosen-count")).to_have_text(f"({len(ticked)} câu đã chọn)")
    return ticked


def _question_ids(r: Round) -> list[int]:
    return list(r.round_questions.order_by("position").values_list("question_version__question_id", flat=True))


def test_organiser_round_form_keeps_ticks_across_searches_and_pages(live_server_asgi, browser, tmp_path):
    seed_demo()
    base = live_server_asgi.url
    contest = Contest.objects.get(name=CONTEST_NAME)
    context, page, navigations = _page(browser, base, "bantochuc")
    try:
        page.goto(f"{base}/contest/manage/contests/{contest.pk}/rounds/new/")
        navigations.clear()
        page.fill("#id_name", "Tuần 9: chọn từ nhiều trang")
        page.fill("[name=opens_at_0]", "04/01/2027")
        page.fill("[name=opens_at_1]", "08:00")
        page.fill("[name=closes_at_0]", "10/01/2027")
        page.fill("[name=closes_at_1]", "21:00")
        page.fill("#id_duration_min", "20")
        ticked = _pick_across_searches(page)
        assert navigations == []  # nothing reloaded
        expect(page.locator("#id_name")).to_have_value("Tuần 9: chọn từ nhiều trang")
        expect(page.locator("#id_duration_min")).to_have_value("20")
        page.locator("#pick-filters").scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "round-picker-laptop.png"))
        page.get_by_role("button", name="Lưu vòng thi").click()
        expect(page).to_have_url(re.compile(r"/contest/manage/rounds/\d+/$"))
        r = Round.objects.get(contest=contest, name="Tuần 9: chọn từ nhiều trang")
        assert _question_ids(r) == ticked and r.duration_s == 20 * 60
    finally:
        context.close()


def test_teacher_sets_and_edits_a_class_round(live_server_asgi, browser):
    seed_demo()
    base = live_server_asgi.url
    context, page, navigations = _page(browser, base, "giaovien")
    try:
        page.goto(f"{base}/contest/class/new/")
        navigations.clear()
        page.get_by_label("Tên bài").fill("Bài tập: nhiều trang")
        page.locator("#id_classes input").first.check()
        page.get_by_label("Thời gian làm bài (phút)").fill("12")
        ticked = _pick_across_searches(page)
        assert navigations == []
        expect(page.get_by_label("Tên bài")).to_have_value("Bài tập: nhiều trang")
        page.get_by_role("button", name="Giao bài", exact=True).click()
        expect(page.get_by_text("Đã giao bài.")).to_be_visible()
        r = Round.objects.get(name="Bài tập: nhiều trang")
        assert _question_ids(r) == ticked and r.duration_s == 12 * 60

        # Edit from the round's page: the form comes back filled, the ticks with it.
        page.get_by_role("link", name="Sửa bài").click()
        expect(page.get_by_label("Tên bài")).to_have_value("Bài tập: nhiều trang")
        expect(page.locator("#chosen-count")).to_have_text(f"({len(ticked)} câu đã chọn)")
        page.get_by_label("Tên bài").fill("Bài tập: đã sửa")
        page.locator(f'#pick-list input[value="{ticked[0]}"]').uncheck()
        page.click(".pick-pager button:has-text('Trang sau')")
        expect(page.locator(".pick-page")).to_have_text(re.compile(r"^Trang 2/\d+$"))
        extra = _tick(page)
        page.get_by_role("button", name="Lưu bài").click()
        expect(page.get_by_text("Đã lưu bài.")).to_be_visible()
        r.refresh_from_db()
        assert r.name == "Bài tập: đã sửa" and _question_ids(r) == [*ticked[1:], extra]

        # The demo's homework has been done by pupils: its duration is locked.
        done = Round.objects.get(name=CLASS_ROUND_NAME)
        assert done.attempts.exists()
        page.goto(f"{base}/contest/manage/rounds/{done.pk}/")
        page.get_by_role("link", name="Sửa bài").click()
        expect(page.get_by_test_id("started")).to_be_visible()
        page.get_by_label("Thời gian làm bài (phút)").fill("40")
        page.get_by_role("button", name="Lưu bài").click()
        expect(page.locator(".msg-error")).to_contain_text(
            "Vòng thi đã có người làm bài: không thể đổi đề, thời gian làm bài hay giờ mở."
        )
        expect(page.locator(".field-error")).to_contain_text("Không thể thay đổi sau khi đã có lượt thi.")
        done.refresh_from_db()
        assert done.duration_s == 15 * 60
    finally:
        context.close()
