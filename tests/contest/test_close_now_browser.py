""" "Đóng vòng ngay" on the demo data, as the organiser and a pupil see it: the pupil is in the
open demo round "Tuần 2" with one saved answer; the organiser opens the round's page, cancels
the confirmation once (Escape), then confirms by keyboard; the pupil's page moves to the result
with the saved answer counted."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from contest.models import Attempt, Round
from tests.contest.test_browser import session_key

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_organiser_closes_the_demo_round_now_and_the_pupil_sees_the_result(live_server_asgi, page, browser):
    call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())
    week2 = Round.objects.get(name="Tuần 2", is_demo=True)
    assert week2.state() == "open"
    pupil = Attempt._meta.get_field("user").related_model.objects.get(username="hocsinh")
    organiser = pupil.__class__.objects.get(username="bantochuc")

    page.context.add_cookies([{"name": "sessionid", "value": session_key(pupil), "url": live_server_asgi.url}])
    page.goto(f"{live_server_asgi.url}/contest/rounds/{week2.pk}/")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.get_by_test_id("connection")).to_have_text("Đã kết nối")
    # Answer the first single-choice or true/false question of the drawn paper.
    n = page.locator("section.question[data-type=single], section.question[data-type=truefalse]").first.get_attribute(
        "data-n"
    )
    page.locator(f'#qnav button[data-goto="{n}"]').click()
    page.locator(f"#q-{n} label.choice").first.click()
    expect(page.get_by_test_id(f"save-state-{n}")).to_have_text("Đã lưu")

    staff = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    try:
        staff.add_cookies([{"name": "sessionid", "value": session_key(organiser), "url": live_server_asgi.url}])
        org = staff.new_page()
        org.goto(f"{live_server_asgi.url}/contest/manage/rounds/{week2.pk}/")
        close = org.get_by_role("button", name="Đóng vòng ngay")
        close.click()
        dialog = org.get_by_role("dialog", name="Đóng vòng thi ngay?")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("1 học sinh đang làm bài sẽ kết thúc ngay")
        expect(dialog.get_by_role("button", name="Hủy")).to_be_focused()  # the safe choice first
        org.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(close).to_be_focused()
        week2.refresh_from_db()
        assert week2.finalized_at is None  # cancelled: nothing changed

        close.press("Enter")
        expect(dialog).to_be_visible()
        org.keyboard.press("Tab")
        expect(dialog.get_by_role("button", name="Đóng vòng ngay")).to_be_focused()
        org.keyboard.press("Enter")
        expect(org.get_by_text("Đã đóng vòng thi. 1 lượt đang làm bài đã kết thúc")).to_be_visible()
        expect(org.get_by_role("heading", level=1)).to_contain_text("Đã có kết quả")
        expect(org.get_by_role("button", name="Đóng vòng ngay")).to_have_count(0)
    finally:
        staff.close()

    # The pupil's page is told on its socket and moves to the result, the saved answer counted.
    expect(page).to_have_url(re.compile(r"/contest/attempts/\d+/result/$"), timeout=10_000)
    expect(page.get_by_test_id("status")).to_have_text("Hết giờ")
    attempt = Attempt.objects.get(round=week2, user=pupil)
    assert attempt.status == "expired" and attempt.answered_count == 1
    week2.refresh_from_db()
    assert week2.finalized_at is not None
