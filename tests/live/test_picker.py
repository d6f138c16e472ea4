"""Building a game in Chromium (laptop, 1366x768): the question picker searches, filters and
pages through a large bank without reloading, so the game's name, its settings and every
ticked question survive three searches and a page change; stems are rendered Markdown; a
language badge marks English questions; the game is created with exactly the ticked ones."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from contest.models import RoundQuestion
from live.models import LiveGame
from quizbank.models import Status
from tests.live.factories import World
from tests.quizbank import factories as qf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_picker_keeps_state_across_searches_and_pages(browser, live_server_asgi):
    world = World(questions=0)
    bank = [
        qf.make(content=qf.single(stem=f"Câu luyện tập số {i:03d} về chuyển đổi số?"), status=Status.APPROVED)
        for i in range(60)
    ]
    password = qf.make(content=qf.single(stem="Mật khẩu **mạnh** cần có gì?", difficulty=3), status=Status.APPROVED)
    english = qf.make(content=qf.single(stem="What does *phishing* mean?", language="en"), status=Status.APPROVED)
    base = live_server_asgi.url
    client = Client()
    client.force_login(world.teacher)
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    ctx.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/live/new/")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)

    page.fill("#id_name", "Ôn tập an toàn mạng")
    page.fill("#id_time_limit_s", "30")
    page.check('input[name="mode"][value="accuracy"]')
    rows = page.locator("#pick-list .question-pick li")
    expect(rows).to_have_count(50)  # a page of a 62-question bank
    expect(page.locator(".pick-page")).to_have_text("Trang 1/2")
    page.locator(f'#pick-list input[value="{bank[59].pk}"]').check()

    # Page 2 of the bank.
    page.click(".pick-pager button:has-text('Trang sau')")
    expect(page.locator(".pick-page")).to_have_text("Trang 2/2")
    page.locator(f'#pick-list input[value="{bank[0].pk}"]').check()
    expect(page.locator("#chosen-count")).to_have_text("(2 câu đã chọn)")

    # Search 1: a word, accent-free; the Markdown stem is rendered.
    page.fill("#q", "mat khau")
    page.click("#pick-find")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".q-stem strong")).to_have_text("mạnh")
    rows.first.locator("input").check()

    # Search 2: filters by difficulty and type.
    page.fill("#q", "")
    page.select_option("#pick-filters select[name=difficulty]", "3")
    page.select_option("#pick-filters select[name=qtype]", "single")
    page.click("#pick-find")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("input")).to_be_checked()  # ticked in search 1, still ticked

    # Search 3: English questions, with their badge; ticking one warns.
    page.select_option("#pick-filters select[name=difficulty]", "")
    page.select_option("#pick-filters select[name=qtype]", "")
    page.select_option("#pick-filters select[name=language]", "en")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".lang-badge")).to_have_text("Tiếng Anh")
    expect(rows.first.locator(".q-stem em")).to_have_text("phishing")
    rows.first.locator("input").check()
    expect(page.locator("#lang-warning")).to_be_visible()
    expect(page.locator("#chosen-count")).to_have_text("(4 câu đã chọn)")

    # Nothing reloaded: the name and the settings are as typed.
    assert navigations == []
    expect(page.locator("#id_name")).to_have_value("Ôn tập an toàn mạng")
    expect(page.locator("#id_time_limit_s")).to_have_value("30")
    expect(page.locator('input[name="mode"][value="accuracy"]')).to_be_checked()

    page.get_by_role("button", name="Tạo và mở phòng chờ").click()
    expect(page).to_have_url(re.compile(r"/live/\d+/host/$"))
    game = LiveGame.objects.get(pk=int(re.search(r"/live/(\d+)/host/", page.url).group(1)))
    picked = set(RoundQuestion.objects.filter(round=game.round).values_list("question_version__question_id", flat=True))
    assert picked == {bank[59].pk, bank[0].pk, password.pk, english.pk}
    assert game.round.name == "Ôn tập an toàn mạng" and game.time_limit_s == 30 and game.mode == "accuracy"
    ctx.close()
