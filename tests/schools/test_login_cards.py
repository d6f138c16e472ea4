"""Login cards: one card per pupil, the password only while it is still the initial one."""

import base64
import re
import zlib

import pytest

from schools.cards import login_cards_pdf
from schools.imports.jobs import import_preview, import_run
from schools.models import Student
from tests.schools import factories as f
from tests.schools.files import xlsx

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    """The decompressed content streams (usernames and passwords are in a standard font)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        raw = match.group(1).strip()
        if raw.endswith(b"~>"):  # ReportLab wraps page streams in ASCII85
            raw = base64.a85decode(raw.removeprefix(b"<~")[:-2])
        try:
            out.append(zlib.decompress(raw).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out)


def test_cards_list_every_pupil_with_initial_passwords():
    school = f.school(f.commune(f.province()), levels=["thcs"])
    teacher = f.staff("teacher", school_obj=school)
    rows = [["Họ và tên", "Ngày sinh", "Lớp"]] + [
        [f"Nguyễn Văn {n}", "01/01/2012", "7A1"] for n in ("An", "Bình", "Cường")
    ]
    rows += [["Nguyễn Văn An", "23/11/2012", "7A1"]]  # the same name, told apart by the date
    rows += [[f"Trần Thị Hoa {chr(65 + i)}", "01/01/2012", "7A1"] for i in range(8)]  # 12 pupils: two pages
    job = import_run(
        actor=teacher,
        job=import_preview(
            actor=teacher, kind="roster", file_name="l.xlsx", data=xlsx(rows), school=school, school_year="2026-2027"
        ),
    )
    klass = job.classes.get()
    students = list(Student.objects.filter(school_class=klass).select_related("user"))
    changed = students[0]
    changed.user.set_password("my-own-password-9")
    changed.user.save()

    pdf = login_cards_pdf(school_class=klass, login_url="http://example.test/accounts/login/")
    assert pdf.startswith(b"%PDF")
    assert b"/Count 2" in pdf  # 12 cards, 10 to a page
    text = pdf_text(pdf)
    for student in students:
        assert f"({student.user.username})" in text
        if student.pk == changed.pk:
            assert f"({student.initial_password})" not in text
        else:
            assert f"({student.initial_password})" in text

    # Read back as a person reads it: the date of birth beside the class on each card.
    import io

    from pypdf import PdfReader

    read = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Lớp: 7A1 · Ngày sinh: 01/01/2012" in read
    assert "Lớp: 7A1 · Ngày sinh: 23/11/2012" in read
