"""A pupil in Chromium on a phone (390x844) and a laptop (1366x768): flags a question for
review, reloads and lands on the question they were on, opens the summary before submit (the
unanswered and flagged questions, with links), submits from there and reads "score / max".

With ``UPDATE_SCREENSHOTS=1`` the screenshots are also written to ``docs/img/`` (README)."""

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from contest.models import Attempt
from quizbank.models import QuestionVersion
from tests.contest import factories as cf
from tests.contest.test_browser import session_key
from tests.quizbank import factories as qf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}


def keep(shot: Path, name: str) -> None:
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        DOCS_IMG.mkdir(exist_ok=True)
        shutil.copy(shot, DOCS_IMG / name)


def right(attempt, i: int, *, correct: bool = True) -> str:
    """The id of a right (or wrong) choice of the attempt's i-th question (single choice)."""
    version = QuestionVersion.objects.get(pk=attempt.question_order[i])
    return next(c["id"] for c in version.choices if bool(c.get("correct")) == correct)


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_flags_reload_summary_and_result(live_server_asgi, browser, tmp_path, size):
    w = cf.world(students=1)
    singles = [
        qf.make(content=qf.single(stem=f"Đâu là mật khẩu mạnh nhất, cách số {i}?"), status="approved") for i in range(5)
    ]
    r = cf.round_(w, questions_list=singles, shuffle_questions=False, reveal_after_attempt=2)
    student = w.students[0]
    context = browser.new_context(viewport=SIZES[size], locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.context.add_cookies([{"name": "sessionid", "value": session_key(student), "url": live_server_asgi.url}])
        page.goto(f"{live_server_asgi.url}/contest/rounds/{r.pk}/")
        page.get_by_role("button", name="Bắt đầu làm bài").click()
        expect(page.get_by_test_id("connection")).to_have_text("Đã kết nối")

        # Q1 answered; Q2 flagged and left; Q4 answered and flagged; the pupil stops on Q4.
        attempt = Attempt.objects.get(user=student)
        page.locator(f"#q-1 input[value='{right(attempt, 0)}']").click()
        expect(page.get_by_test_id("save-state-1")).to_have_text("Đã lưu")
        page.locator("#qnav button[data-goto='2']").click()
        page.get_by_test_id("flag-2").click()
        expect(page.get_by_test_id("flag-2")).to_have_attribute("aria-pressed", "true")
        page.locator("#qnav button[data-goto='4']").click()
        page.locator(f"#q-4 input[value='{right(attempt, 3, correct=False)}']").click()
        expect(page.get_by_test_id("save-state-4")).to_have_text("Đã lưu")
        page.get_by_test_id("flag-4").click()
        expect(page.locator("#qnav button.flagged")).to_have_count(2)
        # The position is stored 300 ms after the pupil stops on a question; a flag at once (the
        # button shows it before the server has it).
        expected = (4, [attempt.question_order[1], attempt.question_order[3]])
        for _ in range(50):
            attempt.refresh_from_db()
            if (attempt.position, attempt.flagged) == expected:
                break
            page.wait_for_timeout(100)
        assert (attempt.position, attempt.flagged) == expected
        page.reload()
        expect(page.locator("#q-4")).to_be_visible()
        expect(page.locator("#q-1")).to_be_hidden()
        expect(page.locator("#qnav button[aria-current='true']")).to_have_text("4")
        expect(page.get_by_test_id("flag-2")).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_test_id("flag-4")).to_have_attribute("aria-pressed", "true")

        second = browser.new_context(viewport=SIZES[size], locale="vi-VN")
        try:
            other = second.new_page()
            other.context.add_cookies(
                [{"name": "sessionid", "value": session_key(student), "url": live_server_asgi.url}]
            )
            other.goto(f"{live_server_asgi.url}/contest/attempts/{attempt.pk}/")
            expect(other.locator("#q-4")).to_be_visible()
        finally:
            second.close()

        # The summary before submit lists the unanswered (2, 3, 5) and the flagged (2, 4).
        page.get_by_role("button", name="Nộp bài").first.click()
        unanswered = page.get_by_test_id("summary-unanswered")
        flagged = page.get_by_test_id("summary-flagged")
        expect(unanswered.get_by_role("link")).to_have_text(["Câu 2", "Câu 3", "Câu 5"])
        expect(flagged.get_by_role("link")).to_have_text(["Câu 2", "Câu 4"])
        expect(page.locator("#submit-summary")).to_have_text("Bạn đã trả lời 2/5 câu.")
        shot = tmp_path / f"summary-{size}.png"
        page.screenshot(path=str(shot))
        if size == "phone":
            keep(shot, "round-summary-phone.png")

        # A link goes back to that question; answer it, then submit from the summary.
        unanswered.get_by_role("link", name="Câu 3").click()
        expect(page.locator("#submit-dialog")).not_to_be_visible()
        expect(page.locator("#q-3")).to_be_visible()
        page.locator(f"#q-3 input[value='{right(attempt, 2)}']").click()
        expect(page.get_by_test_id("save-state-3")).to_have_text("Đã lưu")
        page.get_by_role("button", name="Nộp bài").first.click()
        expect(unanswered.get_by_role("link")).to_have_text(["Câu 2", "Câu 5"])
        page.locator("#submit-confirm").click()

        expect(page).to_have_url(re.compile(r"/contest/attempts/\d+/result/$"))
        attempt.refresh_from_db()
        assert attempt.score == 20 and attempt.correct_count == 2
        expect(page.get_by_test_id("score-line")).to_have_text("20 / 50")
        expect(page.get_by_test_id("correct-count")).to_have_text("2/5")
        expect(page.get_by_test_id("time-used")).to_contain_text("giây")
        shot = tmp_path / f"result-{size}.png"
        page.screenshot(path=str(shot))
        if size == "laptop":
            keep(shot, "round-result-laptop.png")
    finally:
        context.close()


def test_leaving_at_once_still_stores_the_question(live_server_asgi, browser):
    """The position is stored when the page goes away, even before its 300 ms pause."""
    w = cf.world(students=1)
    r = cf.round_(w, n_questions=4, shuffle_questions=False)
    student = w.students[0]
    context = browser.new_context(viewport=SIZES["phone"], locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.context.add_cookies([{"name": "sessionid", "value": session_key(student), "url": live_server_asgi.url}])
        page.goto(f"{live_server_asgi.url}/contest/rounds/{r.pk}/")
        page.get_by_role("button", name="Bắt đầu làm bài").click()
        expect(page.get_by_test_id("connection")).to_have_text("Đã kết nối")
        page.locator("#qnav button[data-goto='3']").click()
        page.goto(f"{live_server_asgi.url}/contest/")  # at once: the pause has not run out
        attempt = Attempt.objects.get(user=student)
        for _ in range(50):
            attempt.refresh_from_db()
            if attempt.position == 3:
                break
            page.wait_for_timeout(100)
        assert attempt.position == 3
        page.goto(f"{live_server_asgi.url}/contest/attempts/{attempt.pk}/")
        expect(page.locator("#q-3")).to_be_visible()
        expect(page.locator("#qnav button[aria-current='true']")).to_have_text("3")
    finally:
        context.close()
