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
    good.write_bytes(xlsx([*GOOD, [None, "Tổng cộng: 20 học sinh", None, None, None]]))

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
    # The footer row under the list is left out with a warning, not an error.
    expect(page.get_by_test_id("import-warnings")).to_have_text(
        "Dòng 22: Bỏ qua dòng tổng kết/chân trang: “Tổng cộng: 20 học sinh”."
    )
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
    names = page.get_by_test_id("roster").locator("tbody tr td:nth-child(3)")
    expect(names.first).to_contain_text("Nguyễn Văn An")
    expect(names.nth(3)).to_contain_text("Nguyễn Văn Dũng")
    expect(names.nth(4)).to_contain_text("Nguyễn Văn Đức")


def test_pupil_registers_through_searchable_lists(live_server_asgi, page):
    from schools.selectors import current_school_year

    province = f.province()
    f.commune(province, name="Xã Long Hồ")
    thanh_duc = f.commune(province, name="Phường Thanh Đức")
    school = f.school(thanh_duc, name="Trường THCS Nguyễn Trường Tộ")
    f.school(thanh_duc, name="Trường THCS An Hội")
    f.klass(school, "9A1", 9, current_school_year())

    page.goto(live_server_asgi.url + "/schools/register/")
    page.get_by_label("Tỉnh/thành phố").select_option(label=f"{province.name}")
    commune_filter = page.get_by_label("Lọc xã/phường")
    commune_filter.fill("thanh duc")  # no accents needed
    communes = page.locator("#commune option:not([hidden])")
    expect(communes).to_have_text(["— Chọn —", "Phường Thanh Đức"])
    page.get_by_label("Xã/phường/đặc khu", exact=True).select_option(label="Phường Thanh Đức")
    page.get_by_label("Lọc trường").fill("nguyen truong")
    expect(page.locator("#school option:not([hidden])")).to_have_text(["— Chọn —", "Trường THCS Nguyễn Trường Tộ"])
    page.get_by_label("Trường", exact=True).select_option(label="Trường THCS Nguyễn Trường Tộ")
    page.get_by_label("Lớp", exact=True).select_option(label="9A1")
    page.get_by_label("Họ và tên").fill("Hoàng Thị Giang")
    page.get_by_label("Ngày sinh (dd/mm/yyyy)").fill("12/05/2012")
    page.get_by_label("Tên đăng nhập").fill("giang2012")
    page.get_by_label("Mật khẩu").fill("Mat-khau-2026!")
    page.get_by_label("Em đồng ý cho cuộc thi xử lý các thông tin trên.").check()
    page.get_by_role("button", name="Đăng ký").click()
    # A 14-year-old needs a guardian's consent: the form says so and keeps the choices.
    expect(page.get_by_text("Học sinh dưới 16 tuổi cần cha mẹ hoặc người giám hộ đồng ý.")).to_be_visible()
    assert not Student.objects.filter(user__username="giang2012").exists()
    page.get_by_label("Mật khẩu").fill("Mat-khau-2026!")
    page.get_by_label("Cha mẹ hoặc người giám hộ của em đã đồng ý", exact=False).check()
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ học sinh")
    expect(page.get_by_text("Chờ xác minh")).to_be_visible()
    student = Student.objects.get(user__username="giang2012")
    assert student.school == school and student.status == "pending" and student.consent_guardian
