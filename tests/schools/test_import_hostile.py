"""Hostile files through the roster and the schools imports: an XLSX with external entities,
with nested entities (billion laughs), a zip bomb, a file over the limit, a CSV that is not
UTF-8, and formula cells. Each is refused with a clear error and nothing is stored.
(The question imports have their own: tests/quizbank/test_formats_safety.py; roster names
with formula signs: tests/schools/test_person_names.py.)"""

import io
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model

from core.errors import ValidationFailed
from core.jobs import JobStatus
from schools.imports.jobs import import_preview, import_run
from schools.models import ImportJob, Region, School, Student
from tests.schools import factories as f
from tests.schools.files import csv_bytes, xlsx

pytestmark = pytest.mark.django_db

ROSTER = [["STT", "Họ và tên", "Ngày sinh", "Lớp"], [1, "Nguyễn Văn Đức", "04/03/2012", "7A1"]]
SCHOOLS = [["Mã trường", "Tên trường", "Cấp học", "Mã xã"], ["86001CS", "Trường THCS Một", "THCS", "86001"]]

XXE = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>'
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "hahahahaha">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t></is></c></row></sheetData></worksheet>'
)


def _with_sheet(rows, sheet: bytes | str) -> bytes:
    """A real workbook whose first sheet's XML is replaced."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = sheet if info.filename == "xl/worksheets/sheet1.xml" else source.read(info.filename)
            target.writestr(info.filename, data)
    return out.getvalue()


def _bomb(rows) -> bytes:
    """A workbook of under a megabyte whose sheet inflates to about 100 MB of valid rows."""
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    body = row * (100 * 1024 * 1024 // len(row))
    return _with_sheet(
        rows,
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + body
        + "</sheetData></worksheet>",
    )


@pytest.fixture
def world():
    province = f.province(code="86")
    f.commune(province, code="86001")
    school = f.school(f.commune(province), levels=["thcs"])
    admin = get_user_model().objects.create_superuser("quantri", password="x")
    return {"school": school, "teacher": f.staff("teacher", school_obj=school), "admin": admin}


def _import(world, kind, name, data):
    if kind == "roster":
        job = import_preview(
            actor=world["teacher"], kind="roster", file_name=name, data=data, school=world["school"],
            school_year="2026-2027",
        )  # fmt: skip
        actor = world["teacher"]
    else:
        job = import_preview(actor=world["admin"], kind="schools", file_name=name, data=data)
        actor = world["admin"]
    return job if job.status == JobStatus.FAILED else import_run(actor=actor, job=job)


def _stored():
    return Student.objects.count(), School.objects.count()


def _refused(world, kind, name, data, message):
    before = _stored()
    with pytest.raises(ValidationFailed) as caught:
        _import(world, kind, name, data)
    assert re.search(message, str(caught.value.message)), caught.value.message
    assert _stored() == before
    assert not ImportJob.objects.exclude(status=JobStatus.FAILED).exists()


@pytest.mark.parametrize(("kind", "rows"), [("roster", ROSTER), ("schools", SCHOOLS)])
def test_hostile_spreadsheets_are_refused_and_nothing_is_stored(world, kind, rows):
    assert _import(world, kind, "ok.xlsx", xlsx(rows)).status == JobStatus.DONE  # the rows are good
    Student.objects.all().delete()
    School.objects.exclude(pk=world["school"].pk).delete()
    ImportJob.objects.all().delete()
    _refused(world, kind, "xxe.xlsx", _with_sheet(rows, XXE), "Excel")
    _refused(world, kind, "cuoi.xlsx", _with_sheet(rows, LAUGHS), "Excel")
    bomb = _bomb(rows)
    assert len(bomb) < 1024 * 1024
    _refused(world, kind, "bom.xlsx", bomb, "quá lớn")
    _refused(world, kind, "lon.csv", csv_bytes(rows) + b"\n" * (6 * 1024 * 1024), "quá lớn")
    _refused(world, kind, "latin.csv", csv_bytes(rows, encoding="utf-8") + b"Nguy\xean\n", "UTF-8")
    _refused(world, kind, "odd.csv", b"\xc3\x28\xa0" + csv_bytes(rows, encoding="utf-8"), "UTF-8")


def test_a_school_name_that_is_a_formula_is_refused(world):
    rows = [SCHOOLS[0], ["86001CS", '=HYPERLINK("http://evil.example","Bấm")', "THCS", "86001"]]
    job = _import(world, "schools", "f.csv", csv_bytes(rows))
    assert job.status == JobStatus.FAILED, job.errors
    assert {e["column"] for e in job.errors} == {"Tên trường"}
    assert School.objects.count() == 1


def test_a_commune_name_that_is_a_formula_is_refused(world):
    rows = [["Mã", "Tên", "Loại", "Mã cấp trên"], ["86002", "@SUM(1+1)*cmd|' /C calc'!A0", "Xã", "86"]]
    job = import_preview(actor=world["admin"], kind="regions", file_name="f.csv", data=csv_bytes(rows))
    assert job.status == JobStatus.FAILED, job.errors
    assert {e["column"] for e in job.errors} == {"Tên"}
    assert not Region.objects.filter(code="86002").exists()
