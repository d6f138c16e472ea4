"""In a real browser, on the demo data: a contest requires the printed password to be changed;
a demo pupil signs in with the password on their card, is sent to the change-password page
from every page, sets their own, and then reaches their rounds."""

import pytest
from playwright.sync_api import expect

from contest.models import Contest
from core.demo import DEMO_PASSWORD
from schools.models import Student
from tests.support.demo import seed_schools

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_pupil_changes_the_printed_password_first(live_server_asgi, page):
    seed_schools()
    pupil = (
        Student.objects.filter(is_demo=True, initial_password=DEMO_PASSWORD, status="verified")
        .select_related("user", "school__commune")
        .order_by("pk")
        .first()
    )
    assert pupil is not None and pupil.user.password == pupil.initial_password_hash
    Contest.objects.create(
        name="Tìm hiểu chuyển đổi số (đổi mật khẩu)",
        year=2026,
        region_id=pupil.school.commune.parent_id,
        force_password_change=True,
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server_asgi.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(pupil.user.username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()

    expect(page).to_have_url(f"{live_server_asgi.url}/accounts/password/")
    expect(page.locator(".msg-warning").first).to_have_text("Hãy đặt mật khẩu của riêng em trước khi vào thi.")
    page.goto(f"{live_server_asgi.url}/contest/")  # every page leads back here
    expect(page).to_have_url(f"{live_server_asgi.url}/accounts/password/")

    page.locator("[name=old_password]").fill(DEMO_PASSWORD)
    page.locator("[name=new_password1]").fill("Ca-phe-sua-da-2026")
    page.locator("[name=new_password2]").fill("Ca-phe-sua-da-2026")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(page).to_have_url(f"{live_server_asgi.url}/accounts/password/done/")
    page.goto(f"{live_server_asgi.url}/contest/")
    expect(page).to_have_url(f"{live_server_asgi.url}/contest/")
