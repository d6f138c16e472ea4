"""In a real browser: a teacher imports a roster, sees the errors of a bad file, fixes it, and
downloads the login cards."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from schools.models import Student
from tests.schools import factories as f
from tests.schools.files import xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Lớp", "Giới tính"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Đức",
    "Giang",
    "Hà",
    "Khoa",
    "Linh",
    "Minh",
    "Nam",
    "Oanh",
    "Phúc",
    "Quân",
    "Sơn",
]
GOOD = [HEADER] + [
    [i + 1, f"{family} Văn {given}", f"{(i % 27) + 1:02d}/0{(i % 9) + 1}/2013", "7A1" if i < 15 else "7A2", "Nam"]
    for i, (family, given) in enumerate([(fam, g) for fam in ("Nguyễn", "Trần") for g in GIVEN][:20])
]
BAD = [*GOOD[:3], [99, "Lê Thị Hoa", "31/02/2013", "7A1", "Nữ"], [100, "Phạm Văn Tú", "01/01/2013", "Lớp bảy", "Nam"]]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def english_phone(browser):
    """A phone set to English: the page (and the API answers it shows) must stay Vietnamese."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_teacher_imports_fixes_and_prints_login_cards(live_server_asgi, english_phone, tmp_path):
    page = english_phone
    school = f.school(f.commune(f.province()), levels=["thcs"], name="Trường THCS Thử Nghiệm")
    teacher = f.staff("teacher", school_obj=school)
    sign_in(page, live_server_asgi, teacher)
    bad, good = tmp_path / "lop7-loi.xlsx", tmp_path / "lop7.xlsx"
    bad.write_bytes(xlsx(BAD))
    good.write_bytes(xlsx(GOOD))

    page.goto(live_server_asgi.url + "/schools/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập dữ liệu từ tệp")
    page.get_by_label("Tệp Excel (.xlsx) hoặc CSV").set_input_files(bad)
    page.get_by_role("button", name="Tải lên và xem trước").click()

    errors = page.get_by_test_id("import-errors")
    expect(errors).to_be_visible()
    expect(errors.locator("tbody tr")).to_have_count(2)
    expect(errors).to_contain_text("Ngày sinh phải có dạng dd/mm/yyyy.")
    expect(errors).to_contain_text("Không xác định được khối từ tên lớp")
    expect(errors.locator("tbody tr").first.locator("td").first).to_have_text("4")  # header, 2 good rows
    expect(page.get_by_role("button", name="Nhập vào hệ thống")).to_be_hidden()
    assert Student.objects.count() == 0

    page.get_by_label("Tệp Excel (.xlsx) hoặc CSV").set_input_files(good)
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("Thêm mới: 20")
    expect(page.get_by_test_id("import-preview").locator("tbody tr")).to_have_count(20)
    expect(page.get_by_test_id("import-errors")).to_be_hidden()
    page.get_by_role("button", name="Nhập vào hệ thống").click()

    # The server hashes 20 new passwords with the production hasher: allow for a slow machine.
    expect(page.get_by_role("heading", name="Đã nhập xong")).to_be_visible(timeout=120_000)
    expect(page.locator("#import-progress")).to_have_attribute("value", "100")
    assert Student.objects.filter(school=school).count() == 20

    link = page.get_by_role("link", name="Thẻ đăng nhập lớp 7A1 (PDF)")
    with page.expect_download() as download_info:
        link.click()
    with open(download_info.value.path(), "rb") as fh:
        pdf = fh.read()
    assert pdf.startswith(b"%PDF")
    assert b"/Count 2" in pdf  # 15 pupils: two pages of cards

    # The class list is in Vietnamese order: given name first (An, Bình, …, Đức after Dũng).
    page.goto(live_server_asgi.url + "/schools/classes/")
    page.get_by_role("link", name="7A1").click()
    names = page.get_by_test_id("roster").locator("tbody tr td:nth-child(2)")
    expect(names.first).to_contain_text("Nguyễn Văn An")
    expect(names.nth(3)).to_contain_text("Nguyễn Văn Dũng")
    expect(names.nth(4)).to_contain_text("Nguyễn Văn Đức")
