"""Administrative units and schools files: preview, per-row errors, idempotent commit, scope."""

import pytest

from core.errors import Forbidden
from core.jobs import JobStatus
from schools.imports.jobs import import_preview, import_run
from schools.models import Enrolment, Region, School
from tests.schools import factories as f
from tests.schools.files import csv_bytes, xlsx

pytestmark = pytest.mark.django_db

UNITS = [
    ["Mã", "Tên", "Loại", "Mã cấp trên", "Đơn vị cũ"],
    ["86", "Vĩnh Long", "Tỉnh", "", ""],
    ["86001", "Phường Một", "Phường", "86", "TP Vĩnh Long cũ"],
    [86002, "Xã Hai", "Xã", 86, "Bến Tre cũ"],
]


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("root", password="x-12345678")


def run(actor, kind, data, name="f.xlsx", **kw):
    job = import_preview(actor=actor, kind=kind, file_name=name, data=data, **kw)
    return job if job.status == JobStatus.FAILED else import_run(actor=actor, job=job)


def test_units_import_and_reimport(admin):
    job = run(admin, "regions", xlsx(UNITS), is_demo=True)
    assert job.status == JobStatus.DONE
    assert job.summary == {"create": 3, "update": 0, "unchanged": 0}
    hai = Region.objects.get(code="86002")
    assert hai.parent.code == "86" and hai.kind == "commune" and hai.legacy_label == "Bến Tre cũ"
    assert hai.name_search == "xa hai" and hai.is_demo
    again = run(admin, "regions", xlsx(UNITS), is_demo=True)
    assert again.summary == {"create": 0, "update": 0, "unchanged": 3}
    assert Region.objects.count() == 3


def test_units_broken_file_commits_nothing(admin):
    bad = [
        *UNITS,
        ["8600", "Xã Ba", "Xã", "86", ""],  # 4 digits
        ["86004", "Xã Bốn", "Huyện", "86", ""],  # no districts since 1 July 2025
        ["86005", "Xã Năm", "Xã", "99", ""],  # unknown province
        ["86001", "Phường Trùng", "Phường", "86", ""],
    ]
    job = run(admin, "regions", csv_bytes(bad), "units.csv")
    assert job.status == JobStatus.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(5, "Mã"), (6, "Loại"), (7, "Mã cấp trên"), (8, "Mã")]
    assert Region.objects.count() == 0


def test_organiser_imports_communes_of_their_province_only():
    prov = f.province()
    organiser = f.staff("organiser", region=prov)
    rows = [UNITS[0], ["86010", "Xã Mười", "Xã", "86", ""], ["87", "Đồng Tháp", "Tỉnh", "", ""]]
    job = run(organiser, "regions", xlsx(rows))
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "Loại")]
    assert run(organiser, "regions", xlsx(rows[:2])).status == JobStatus.DONE
    teacher = f.staff("teacher", school_obj=f.school(Region.objects.get(code="86010")))
    with pytest.raises(Forbidden):
        run(teacher, "regions", xlsx(rows[:2]))


SCHOOLS = [
    ["Mã trường", "Tên trường", "Cấp học", "Mã xã", "Sĩ số", "Khối 6", "Khối 7"],
    ["86001TH", "Trường Tiểu học Một", "Tiểu học", "86001", "450", "", ""],
    ["86001CS", "Trường THCS Một", "THCS", "86001", "", "120", "115"],
    ["86001LC", "Trường TH&THCS Một", "Tiểu học, THCS", "86001", "1:40; 2:38; 6:35", "", ""],
]


def test_schools_import_with_enrolment_and_reimport(admin):
    run(admin, "regions", xlsx(UNITS))
    job = run(admin, "schools", xlsx(SCHOOLS))
    assert job.status == JobStatus.DONE, job.errors
    th = School.objects.get(code="86001TH")
    assert th.levels == ["tieu_hoc"] and th.commune.code == "86001"
    assert list(th.enrolments.values_list("level", "grade", "count")) == [("tieu_hoc", None, 450)]
    lc = School.objects.get(code="86001LC")
    assert lc.levels == ["tieu_hoc", "thcs"]
    assert sorted(lc.enrolments.values_list("level", "grade", "count")) == [
        ("thcs", 6, 35),
        ("tieu_hoc", 1, 40),
        ("tieu_hoc", 2, 38),
    ]
    enrolment_ids = set(Enrolment.objects.values_list("pk", flat=True))
    again = run(admin, "schools", xlsx(SCHOOLS))
    assert again.summary == {"create": 0, "update": 0, "unchanged": 3}
    assert set(Enrolment.objects.values_list("pk", flat=True)) == enrolment_ids


def test_schools_broken_file_commits_nothing(admin):
    run(admin, "regions", xlsx(UNITS))
    bad = [
        *SCHOOLS,
        ["X1", "Trường Lạ", "Mẫu giáo", "86001", "", "", ""],
        ["X2", "Trường Xa", "THPT", "99999", "", "", ""],
        ["X3", "Trường Hai Cấp", "THCS; THPT", "86001", "900", "", ""],
        ["86001TH", "Trùng mã", "Tiểu học", "86001", "", "", ""],
    ]
    job = run(admin, "schools", xlsx(bad))
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (5, "Cấp học"),
        (6, "Mã xã"),
        (7, "Sĩ số"),
        (8, "Mã trường"),
    ]
    assert School.objects.count() == 0


def test_organiser_cannot_import_schools_outside_their_region(admin):
    run(admin, "regions", xlsx([*UNITS, ["87", "Đồng Tháp", "Tỉnh", "", ""], ["87001", "Xã Khác", "Xã", "87", ""]]))
    organiser = f.staff("organiser", region=Region.objects.get(code="86"))
    rows = [SCHOOLS[0], SCHOOLS[1], ["87001CS", "Trường Khác", "THCS", "87001", "", "", ""]]
    job = run(organiser, "schools", xlsx(rows))
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "Mã xã")]
    assert School.objects.count() == 0
