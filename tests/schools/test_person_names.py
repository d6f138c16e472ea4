"""Person names at the door: letters (Vietnamese included), spaces, hyphens, apostrophes and
periods. Markup, formula signs and other characters get a clear error at self-registration
and in roster imports, and nothing is created (issue #18 item 3)."""

import unicodedata

import pytest
from rest_framework.test import APIClient

from core.jobs import JobStatus
from schools.imports.jobs import import_preview
from schools.models import Student
from schools.naming import is_person_name
from tests.schools import factories as f
from tests.schools.files import xlsx
from tests.schools.test_import_roster import HEADER
from tests.schools.test_registration import form

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example","Nhấn xem điểm")',
    '<img src="http://localhost/x.png"/> Lê Văn',
    "+Nguyễn Văn An",
    "@Trần Thị Bình",
    "-Lê Minh",
    "Lê Văn <b>An</b>",
    "Phạm; Dũng",
]
GOOD = ["Hoàng Thị Giang", "Lê Thị Ngọc-Anh", "Ng. Văn Đức", "O'Neil Trần", "Nguyễn Thị Ánh"]


@pytest.mark.parametrize("name", GOOD)
def test_real_names_are_names(name):
    assert is_person_name(name)
    assert is_person_name(unicodedata.normalize("NFD", name))  # accents typed as combining marks


@pytest.mark.parametrize("name", HOSTILE)
def test_self_registration_refuses_other_characters(world, name):
    before = Student.objects.count()
    response = APIClient().post("/api/schools/register/", form(world, full_name=name), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["full_name"]
    assert Student.objects.count() == before


def test_self_registration_message_says_what_a_name_may_hold(world):
    name = HOSTILE[0]
    response = APIClient().post("/api/schools/register/", form(world, full_name=name), format="json")
    assert "chữ cái" in response.json()["error"]["fields"]["full_name"][0]


def test_roster_import_reports_the_row_and_creates_nothing():
    school = f.school(f.commune(f.province()), levels=["thcs"])
    teacher = f.staff("teacher", school_obj=school)
    rows = [HEADER, [1, "Nguyễn Văn Đức", "04/03/2012", "7A1", "", "Nam"]]
    rows += [[i, name, "04/03/2012", "7A1", "", ""] for i, name in enumerate(HOSTILE[:4], start=2)]
    job = import_preview(
        actor=teacher, kind="roster", file_name="lop.xlsx", data=xlsx(rows), school=school, school_year="2026-2027"
    )
    assert job.status == JobStatus.FAILED
    assert {(e["row"], e["column"]) for e in job.errors} == {(r, "Họ và tên") for r in (3, 4, 5, 6)}
    assert Student.objects.count() == 0
