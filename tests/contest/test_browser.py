"""A student in Chromium at 360 px: starts a round, answers (by mouse and by keyboard), reloads
mid-way and finds everything in place, and runs out of time."""

import re

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from contest.models import Answer, Attempt
from tests.contest import factories as cf
from tests.quizbank import factories as qf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]


def session_key(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def test_start_answer_reload_and_run_out_of_time(live_server_asgi, page):
    w = cf.world(students=1)
    singles = [qf.make(content=qf.single(stem=f"Câu đơn số {i}?"), status="approved") for i in range(3)]
    r = cf.round_(w, questions_list=singles, duration_s=14)
    student = w.students[0]

    page.context.add_cookies([{"name": "sessionid", "value": session_key(student), "url": live_server_asgi.url}])
    page.goto(f"{live_server_asgi.url}/contest/rounds/{r.pk}/")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.get_by_test_id("connection")).to_have_text("Đã kết nối")
    expect(page.get_by_test_id("one-minute")).to_be_visible()  # under a minute from the start
    order = page.locator("section.question[data-question]").evaluate_all("els => els.map(e => e.dataset.question)")

    # Question 1 by mouse: "Đang lưu…" then "Đã lưu" once the server has committed it.
    first = page.locator("#q-1 label.choice").nth(2)
    first.click()
    expect(page.get_by_test_id("save-state-1")).to_have_text("Đã lưu")
    chosen = page.locator("#q-1 input:checked").get_attribute("value")
    # Question 2 by keyboard.
    page.get_by_role("button", name="Câu sau →").first.click()
    page.locator("#q-2 input[type=radio]").first.focus()
    page.keyboard.press("Space")
    expect(page.get_by_test_id("save-state-2")).to_have_text("Đã lưu")
    assert Answer.objects.filter(attempt__user=student).count() == 2

    left_before = page.get_by_test_id("countdown").inner_text()
    page.reload()
    expect(page.get_by_test_id("connection")).to_have_text("Đã kết nối")
    assert (
        page.locator("section.question[data-question]").evaluate_all("els => els.map(e => e.dataset.question)") == order
    )
    assert page.locator("#q-1 input:checked").get_attribute("value") == chosen
    expect(page.get_by_test_id("save-state-1")).to_have_text("Đã lưu")
    expect(page.get_by_test_id("answered")).to_contain_text("2/3")
    expect(page.locator("#qnav button.answered")).to_have_count(2)
    assert page.get_by_test_id("countdown").inner_text() <= left_before  # the same deadline, not a new one

    # Time runs out: the time-up screen, then the result with the two saved answers.
    expect(page.get_by_test_id("time-up")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("countdown")).to_have_text("00:00")
    page.get_by_role("link", name="Xem kết quả").click(timeout=10_000)
    expect(page).to_have_url(re.compile(r"/contest/attempts/\d+/result/$"))
    expect(page.get_by_test_id("status")).to_have_text("Hết giờ")
    attempt = Attempt.objects.get(user=student)
    assert attempt.status == "expired" and attempt.answered_count == 2
