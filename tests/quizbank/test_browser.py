"""In a real browser: a teacher imports an XLSX with one bad row, fixes it, previews and
confirms, edits one question in the editor (keyboard, live phone preview) and finds it with
an accent-free search."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from quizbank.models import Question
from tests.quizbank import sheets
from tests.schools import factories as sf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_teacher_imports_fixes_confirms_edits_and_searches(live_server_asgi, page, tmp_path):
    school = sf.school(sf.commune(sf.province()), name="Trường THCS Thử Nghiệm")
    teacher = sf.staff("teacher", school_obj=school)
    sign_in(page, live_server_asgi, teacher)
    bad, good = tmp_path / "cau-hoi-loi.xlsx", tmp_path / "cau-hoi.xlsx"
    bad.write_bytes(sheets.with_bad_row())
    good.write_bytes(sheets.fixed())
    base = live_server_asgi.url

    # 1. Upload the file with a bad row: the preview names row 4; nothing can be confirmed.
    page.goto(base + "/quizbank/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập câu hỏi từ tệp")
    page.get_by_label("Tệp câu hỏi").set_input_files(bad)
    page.get_by_role("button", name="Tải lên và xem trước").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("4")
    expect(errors).to_contain_text("Đáp án đúng “E” không khớp với lựa chọn nào.")
    expect(page.get_by_test_id("import-items").locator("tbody tr")).to_have_count(4)
    expect(page.get_by_role("button", name=re.compile("Xác nhận nhập"))).to_have_count(0)
    assert Question.objects.count() == 0

    # 2. Upload the fixed file from the same page, preview, confirm.
    page.get_by_label("Tệp câu hỏi").set_input_files(good)
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.get_by_test_id("import-items").locator("tbody tr")).to_have_count(5)
    expect(page.get_by_test_id("import-errors")).to_have_count(0)
    assert Question.objects.count() == 0  # still nothing before confirmation
    page.get_by_role("button", name="Xác nhận nhập 5 câu").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("Đã nhập 5 câu hỏi.")
    assert Question.objects.filter(owner_user=teacher).count() == 5

    # 3. Open the imported question in the editor and edit it by keyboard.
    page.goto(base + "/quizbank/?owner=mine")
    page.get_by_role("link", name=re.compile("Ứng dụng định danh điện tử quốc gia là")).click()
    stem = page.get_by_label("Đề bài")
    stem.fill("Tên **ứng dụng** định danh điện tử quốc gia là gì?")
    preview = page.get_by_test_id("phone-preview")
    expect(preview.locator("strong")).to_have_text("ứng dụng")  # the live preview follows
    last_choice = page.locator(".qb-choice-text").nth(1)
    last_choice.press("End")
    last_choice.press("Enter")  # Enter adds a choice after this one and focuses it
    page.keyboard.type("Facebook")
    expect(preview.locator("li")).to_have_count(3)
    expect(preview).to_contain_text("Facebook")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".msg-success")).to_contain_text("Đã lưu câu hỏi.")
    edited = Question.objects.get(search_text__contains="facebook")
    assert [c["text"] for c in edited.current_version.choices] == ["VNeID", "Zalo", "Facebook"]

    # 4. Find it again, typing without accents.
    page.goto(base + "/quizbank/")
    page.get_by_label("Tìm kiếm (gõ có dấu hay không dấu đều được)").fill("ung dung dinh danh")
    page.get_by_role("button", name="Lọc", exact=True).click()
    rows = page.get_by_test_id("question-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Tên ứng dụng định danh điện tử quốc gia là gì?")
    expect(page.get_by_test_id("result-count")).to_have_text("1 câu hỏi")
