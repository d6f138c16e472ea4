"""A teacher at a laptop (1366x768) sets homework for 9A1 in Chromium: the form with its question
picker, then the class results page, which lists every pupil with "x / max" once one has
submitted. A pupil of 9A1 on a phone (390x844) sees it in their rounds; one of 9A2 does not.

With ``UPDATE_SCREENSHOTS=1`` the results screenshot is also written to ``docs/img/``."""

import pytest
from playwright.sync_api import expect

from contest.models import Round
from tests.contest import factories as cf
from tests.contest.helpers import take
from tests.contest.test_browser import session_key
from tests.contest.test_navigation_browser import SIZES, keep
from tests.quizbank import factories as qf
from tests.schools import factories as sf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _page(browser, live_server_asgi, user, size):
    context = browser.new_context(viewport=SIZES[size], locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.context.add_cookies([{"name": "sessionid", "value": session_key(user), "url": live_server_asgi.url}])
    return context, page


def test_teacher_sets_homework_and_reads_class_results(live_server_asgi, browser, tmp_path):
    w = cf.world(students=2)
    teacher = sf.staff("teacher", school_obj=w.school, username="gv_bai_tap")
    w.klass.teachers.add(teacher)
    other_class = sf.klass(w.school, "9A2", 9)
    outsider = sf.student(w.school, other_class, full_name="Trần Thị Lớp Khác", username="hs_lop_khac").user
    for i in range(3):
        qf.make(content=qf.single(stem=f"Bài tập an toàn mạng câu {i}?"), status="approved")

    context, page = _page(browser, live_server_asgi, teacher, "laptop")
    try:
        page.goto(f"{live_server_asgi.url}/contest/class/")
        page.get_by_role("link", name="Giao bài mới").click()
        page.get_by_label("Tên bài").fill("Bài tập tuần 12: an toàn mạng")
        page.get_by_label("9A1 (2026-2027)").check()
        expect(page.get_by_label("9A2 (2026-2027)")).to_have_count(0)  # not their class
        for label in page.locator("#pick-list label", has_text="Bài tập an toàn mạng câu").all():
            label.click()
        expect(page.locator("#chosen-count")).to_have_text("(3 câu đã chọn)")
        page.get_by_role("button", name="Giao bài", exact=True).click()
        expect(page.get_by_text("Đã giao bài.")).to_be_visible()
        r = Round.objects.get(name="Bài tập tuần 12: an toàn mạng")
        assert r.contest_id is None and list(r.classes.all()) == [w.klass]
        assert r.round_questions.count() == 3

        take(w.students[0], r, correct=2, submit_after_s=125)
        page.goto(f"{live_server_asgi.url}/contest/class/")
        page.get_by_role("link", name="Kết quả lớp").click()
        expect(page.get_by_test_id("class-done")).to_have_text("1/2 học sinh đã nộp bài (9A1).")
        table = page.get_by_test_id("class-results")
        expect(table.locator("tbody tr")).to_have_count(2)
        expect(table).to_contain_text("20 / 30")
        expect(table).to_contain_text("2 phút 5 giây")
        expect(table).to_contain_text("Chưa làm")
        shot = tmp_path / "class-results-laptop.png"
        page.screenshot(path=str(shot))
        keep(shot, "class-results-laptop.png")
        with page.expect_download() as download:
            page.get_by_role("link", name="Tải XLSX").click()
        assert download.value.suggested_filename == f"ket-qua-bai-{r.pk}.xlsx"
    finally:
        context.close()

    for pupil, sees in ((w.students[1], True), (outsider, False)):
        context, page = _page(browser, live_server_asgi, pupil, "phone")
        try:
            page.goto(f"{live_server_asgi.url}/contest/")
            expect(page.get_by_text("Bài tập tuần 12: an toàn mạng")).to_have_count(1 if sees else 0)
        finally:
            context.close()
