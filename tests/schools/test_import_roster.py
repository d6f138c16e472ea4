"""Class roster imports: preview with per-row errors, all-or-nothing commit, idempotent re-import."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from core.errors import Conflict, Forbidden, ValidationFailed
from core.jobs import JobStatus
from schools.imports.jobs import import_advance, import_preview, import_run
from schools.models import SchoolClass, Student
from tests.schools import factories as f
from tests.schools.files import csv_bytes, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["STT", "HỌ VÀ TÊN", "ngay  sinh", "Lớp", "Mã học sinh", "Giới tính"]
GOOD = [
    HEADER,
    [1, "Nguyễn Văn Đức", datetime.datetime(2012, 3, 4), "7A1", "HS001", "Nam"],
    [2, "trần thị  bích", "15/08/2012", "7A1", "", "Nữ"],
    [3, "Lê Hoàng Anh", "2012-01-20", "7A2", "HS003", ""],
]


@pytest.fixture
def school():
    return f.school(f.commune(f.province()), levels=["thcs"])


@pytest.fixture
def teacher(school):
    return f.staff("teacher", school_obj=school)


def preview(actor, school, data, name="lop7.xlsx"):
    return import_preview(actor=actor, kind="roster", file_name=name, data=data, school=school, school_year="2026-2027")


def test_import_creates_classes_students_and_logins(teacher, school):
    data = xlsx(GOOD, title_rows=[["TRƯỜNG THCS THỬ"], ["DANH SÁCH HỌC SINH"], []])
    job = preview(teacher, school, data)
    assert job.status == JobStatus.READY, job.errors
    assert job.summary == {"create": 3, "update": 0, "unchanged": 0}
    assert Student.objects.count() == 0  # the preview writes nothing

    job = import_run(actor=teacher, job=job)
    assert job.status == JobStatus.DONE
    students = {s.full_name: s for s in Student.objects.select_related("user", "school_class")}
    assert set(students) == {"Nguyễn Văn Đức", "Trần Thị Bích", "Lê Hoàng Anh"}
    duc = students["Nguyễn Văn Đức"]
    assert duc.school_class.name == "7A1" and duc.grade == 7 and duc.student_code == "HS001"
    assert duc.gender == "nam" and duc.date_of_birth == datetime.date(2012, 3, 4)
    assert duc.user.username == "ducnv1"
    assert duc.user.check_password(duc.initial_password)
    assert duc.full_name_search == "nguyen van duc"
    assert duc.user.groups.filter(name="student").exists()
    # The teacher's new classes are theirs.
    assert set(SchoolClass.objects.filter(teachers=teacher).values_list("name", flat=True)) == {"7A1", "7A2"}
    assert set(job.classes.values_list("name", flat=True)) == {"7A1", "7A2"}


def test_reimport_same_file_changes_nothing(teacher, school):
    data = csv_bytes(GOOD, delimiter=";")
    import_run(actor=teacher, job=preview(teacher, school, data, "lop.csv"))
    before = list(
        Student.objects.order_by("pk").values_list(
            "pk", "full_name", "user__username", "user__password", "school_class_id", "grade", "student_code", "gender"
        )
    )
    users = get_user_model().objects.count()

    again = preview(teacher, school, data, "lop.csv")
    assert again.summary == {"create": 0, "update": 0, "unchanged": 3}
    import_run(actor=teacher, job=again)
    after = list(
        Student.objects.order_by("pk").values_list(
            "pk", "full_name", "user__username", "user__password", "school_class_id", "grade", "student_code", "gender"
        )
    )
    assert after == before
    assert get_user_model().objects.count() == users


def test_changed_row_updates_the_same_student(teacher, school):
    import_run(actor=teacher, job=preview(teacher, school, xlsx(GOOD)))
    changed = [HEADER, [1, "Nguyễn Văn Đức", "04/03/2012", "7A2", "HS001", "Nam"]]
    job = preview(teacher, school, xlsx(changed))
    assert job.summary == {"create": 0, "update": 1, "unchanged": 0}
    import_run(actor=teacher, job=job)
    assert Student.objects.get(student_code="HS001").school_class.name == "7A2"
    assert Student.objects.count() == 3


def test_broken_file_reports_every_bad_row_and_commits_nothing(teacher, school):
    bad = [
        HEADER,
        [1, "Nguyễn Văn Đức", "04/03/2012", "7A1", "HS001", "Nam"],
        [2, "", "15/08/2012", "7A1", "", ""],
        [3, "Lê Hoàng Anh", "31/02/2012", "7A2", "", ""],
        [4, "Phạm Thị Dung", "01/01/2012", "Lớp bảy", "", ""],
        [5, "Võ Minh Em", "01/01/2012", "12A1", "", ""],
        [6, "Đặng Văn Phúc", "01/01/2012", "7A1", "HS001", "Nam"],
        [7, "Đỗ Thị Giang", "01/01/2012", "7A1", "", "X"],
    ]
    job = preview(teacher, school, xlsx(bad))
    assert job.status == JobStatus.FAILED
    rows = {(e["row"], e["column"]) for e in job.errors}
    assert rows == {(3, "Họ và tên"), (4, "Ngày sinh"), (5, "Lớp"), (6, "Lớp"), (7, "Mã học sinh"), (8, "Giới tính")}
    with pytest.raises(Conflict):
        import_advance(actor=teacher, job=job)
    assert Student.objects.count() == 0
    assert SchoolClass.objects.count() == 0
    assert get_user_model().objects.filter(username__startswith="ducnv").count() == 0


def test_missing_header_is_a_file_error(teacher, school):
    with pytest.raises(ValidationFailed, match="Họ và tên"):
        preview(teacher, school, xlsx([["Tên", "Lớp"], ["A", "7A1"]]))


def test_teacher_cannot_import_into_a_colleagues_class_or_foreign_school(teacher, school):
    colleague = f.staff("teacher", school_obj=school)
    f.klass(school, name="7A1", grade=7, teacher=colleague)
    job = preview(teacher, school, xlsx(GOOD))
    assert {(e["row"], e["column"]) for e in job.errors} == {(2, "Lớp"), (3, "Lớp")}
    other = f.school(f.commune(f.province(code="87", name="Đồng Tháp")))
    with pytest.raises(Forbidden):
        preview(teacher, other, xlsx(GOOD))


def test_commit_revalidates_against_the_database(teacher, school):
    job = preview(teacher, school, xlsx(GOOD))
    # A colleague takes class 7A2 between the preview and the commit.
    colleague = f.staff("teacher", school_obj=school)
    f.klass(school, name="7A2", grade=7, teacher=colleague)
    job = import_run(actor=teacher, job=job)
    assert job.status == JobStatus.FAILED
    assert Student.objects.count() == 0


def test_footer_and_summary_rows_are_skipped_with_a_warning(teacher, school):
    rows = [
        *GOOD,
        [None, "Tổng cộng: 3 học sinh", None, None, None, None],
        ["Sĩ số: 3", None, None, None, None, None],
        [None, "Vĩnh Long, ngày 05 tháng 12 năm 2026", None, None],
        [None, "Người lập bảng", None, None],
    ]
    job = preview(teacher, school, xlsx(rows))
    assert job.status == JobStatus.READY, job.errors
    assert job.summary == {"create": 3, "update": 0, "unchanged": 0}
    assert [w["row"] for w in job.warnings] == [5, 6, 7, 8]
    assert job.warnings[0]["params"] == {"text": "Tổng cộng: 3 học sinh"}
    import_run(actor=teacher, job=job)
    assert Student.objects.filter(school=school).count() == 3


def test_a_pupil_whose_family_name_is_tong_is_not_a_footer(teacher, school):
    rows = [
        HEADER,
        [1, "Tống Văn Cộng", "04/03/2012", "7A1", "", "Nam"],
        [2, "Tổng Thị Lan", "04/05/2012", "7A1", "", ""],
    ]
    job = preview(teacher, school, csv_bytes(rows), "lop.csv")
    assert job.warnings == []
    assert job.summary["create"] == 2


def test_a_footer_row_in_the_middle_does_not_hide_bad_rows(teacher, school):
    rows = [*GOOD, ["Tổng cộng: 3", None, None, None], [4, "Phạm Văn Tú", "31/02/2013", "7A1", "", ""]]
    job = preview(teacher, school, xlsx(rows))
    assert job.status == JobStatus.FAILED
    assert [e["row"] for e in job.errors] == [6]
    assert [w["row"] for w in job.warnings] == [5]
