"""In a real browser, on the demo data: the demo teacher verifies the pending pupils of their
class (one button, then the bulk action), records consent for chosen pupils, reads who recorded
it, and opens their school's page."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from schools import demo
from schools.models import SchoolClass, Student, StudentStatus
from tests.support.demo import seed_schools

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_teacher_verifies_and_records_consent_on_the_class_page(live_server_asgi, page):
    seed_schools()
    school_class = SchoolClass.objects.get(school__code=demo.SCHOOLS[0][0], name=demo.TEACHER_CLASSES[0], is_demo=True)
    sign_in(page, live_server_asgi, "giaovien")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server_asgi.url}/schools/classes/")
    page.get_by_role("link", name=school_class.name, exact=True).click()
    roster = page.get_by_test_id("roster")
    han = roster.locator("tr", has_text="Trần Ngọc Hân")
    expect(han).to_contain_text("Chờ xác minh")

    # One pupil by their button.
    han.get_by_role("button", name="Xác minh Trần Ngọc Hân").click()
    expect(page.locator(".msg-success")).to_have_text("Đã xác minh 1 học sinh.")
    expect(roster.locator("tr", has_text="Trần Ngọc Hân")).to_contain_text("Đã xác minh")

    # The other by the bulk action, chosen by keyboard.
    bao = roster.locator("tr", has_text="Lê Quốc Bảo")
    bao.get_by_role("checkbox").focus()
    page.keyboard.press("Space")
    page.get_by_label("Với các học sinh đã chọn").select_option(label="Xác minh")
    page.get_by_role("button", name="Thực hiện").click()
    expect(page.locator(".msg-success")).to_have_text("Đã xác minh 1 học sinh.")
    assert Student.objects.filter(school_class=school_class, status=StudentStatus.PENDING).count() == 0

    # Consent for two imported pupils, who had none recorded.
    imported = list(
        Student.objects.filter(school_class=school_class, consent_recorded_at__isnull=True).order_by("name_sort")[:2]
    )
    assert len(imported) == 2
    for student in imported:
        roster.locator(f'tr[data-student="{student.pk}"]').get_by_role("checkbox").check()
    page.get_by_label("Với các học sinh đã chọn").select_option(label="Ghi nhận: học sinh và cha mẹ đồng ý")
    page.get_by_role("button", name="Thực hiện").click()
    expect(page.locator(".msg-success")).to_have_text("Đã ghi nhận đồng ý cho 2 học sinh.")
    for student in imported:
        consent = roster.locator(f'tr[data-student="{student.pk}"]').get_by_test_id("consent")
        expect(consent).to_contain_text("HS: đồng ý")
        expect(consent).to_contain_text("PH: đồng ý")
        expect(consent).to_contain_text("giaovien")
        expect(consent).to_contain_text(r"/20")  # dd/mm/yyyy HH:mm
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Nothing chosen: a clear error, nothing changes.
    page.get_by_role("button", name="Thực hiện").click()
    expect(page.locator(".msg-error")).to_have_text("Hãy chọn ít nhất một học sinh.")

    # Per pupil: the paper form's answers and the history.
    first = imported[0]
    roster.locator(f'tr[data-student="{first.pk}"]').get_by_role("link", name="ghi nhận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Đồng ý của {first.full_name}")
    page.get_by_label("Cha mẹ/người giám hộ đồng ý").uncheck()
    page.get_by_role("button", name="Lưu ghi nhận").click()
    expect(roster.locator(f'tr[data-student="{first.pk}"]').get_by_test_id("consent")).to_contain_text("PH: chưa")
    page.goto(f"{live_server_asgi.url}/schools/students/{first.pk}/consent/")
    expect(page.get_by_test_id("consent-history").locator("tbody tr")).to_have_count(2)

    # Their school's page answers (it was a 404 for teachers).
    page.goto(f"{live_server_asgi.url}/schools/classes/{school_class.pk}/")
    page.get_by_role("link", name=school_class.school.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(school_class.school.name)
    expect(page.get_by_role("link", name=demo.TEACHER_CLASSES[1], exact=True)).to_be_visible()
