import datetime

import pytest

from schools.imports.jobs import import_preview
from schools.selectors import current_school_year
from tests.schools import factories as f
from tests.schools.files import xlsx


class World(dict):
    __getattr__ = dict.__getitem__


def build_world() -> World:
    """Two schools in two provinces, each with staff, classes, pupils and a pending registration."""
    year = current_school_year()
    w = World()
    for side, (pcode, pname) in (("a", ("86", "Vĩnh Long")), ("b", ("87", "Đồng Tháp"))):
        prov = f.province(code=pcode, name=pname)
        commune = f.commune(prov)
        school = f.school(commune, levels=["thcs"], enrolment={8: 200, 9: 180})
        c9, c8 = f.klass(school, "9A1", 9, year), f.klass(school, "8A1", 8, year)
        teacher = f.staff("teacher", school_obj=school, username=f"teacher_{side}")
        c9.teachers.add(teacher)
        w |= {
            f"province_{side}": prov,
            f"commune_{side}": commune,
            f"school_{side}": school,
            f"class9_{side}": c9,
            f"class8_{side}": c8,
            f"teacher_{side}": teacher,
            f"coordinator_{side}": f.staff("coordinator", school_obj=school, username=f"coord_{side}"),
            f"organiser_{side}": f.staff("organiser", region=prov, username=f"org_{side}"),
            f"student_{side}": f.student(school, c9, "Nguyễn Văn An", username=f"hs9_{side}"),
            f"student8_{side}": f.student(school, c8, "Trần Thị Bình", username=f"hs8_{side}"),
            f"pending_{side}": f.student(
                school,
                c9,
                "Lê Minh Châu",
                username=f"pending_{side}",
                status="pending",
                date_of_birth=datetime.date(2012, 5, 6),
            ),
        }
        roster = xlsx([["Họ và tên", "Ngày sinh", "Lớp"], ["Phạm Văn Dũng", "01/02/2012", "9A1"]])
        w[f"job_{side}"] = import_preview(
            actor=teacher, kind="roster", file_name="r.xlsx", data=roster, school=school, school_year=year
        )
        w[f"spare_{side}"] = f.user(f"spare_{side}")  # an account to appoint
    return w


@pytest.fixture
def world(db):
    return build_world()
