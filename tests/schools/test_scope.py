"""The contract other apps build on: scope selectors and the registered scope rules."""

import pytest

from core.roles import check_scope, in_scope
from schools import selectors
from tests.schools import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    prov = f.province()
    other_prov = f.province(code="87", name="Đồng Tháp")
    c1, c2 = f.commune(prov), f.commune(other_prov)
    a, b = f.school(c1), f.school(c2)
    a9, a8, b9 = f.klass(a), f.klass(a, name="8A", grade=8), f.klass(b)
    teacher = f.staff("teacher", school_obj=a)
    a9.teachers.add(teacher)
    return {
        "a": a,
        "b": b,
        "a9": a9,
        "a8": a8,
        "b9": b9,
        "organiser": f.staff("organiser", region=prov),
        "coordinator": f.staff("coordinator", school_obj=a),
        "teacher": teacher,
        "s_a9": f.student(a, a9, "Trần Thị Bình"),
        "s_a8": f.student(a, a8, "Lê Văn Cường"),
        "s_b9": f.student(b, b9, "Phạm Minh Đức"),
    }


def test_schools_in_scope_per_role(world):
    w = world
    assert set(selectors.schools_in_scope(w["organiser"])) == {w["a"]}
    assert set(selectors.schools_in_scope(w["coordinator"])) == {w["a"]}
    assert set(selectors.schools_in_scope(w["teacher"])) == {w["a"]}
    assert set(selectors.schools_in_scope(w["s_b9"].user)) == {w["b"]}


def test_manage_checks_own_versus_foreign(world):
    w = world
    for role in ("organiser", "coordinator", "teacher"):
        assert selectors.user_manages_school(w[role], w["a"])
        assert not selectors.user_manages_school(w[role], w["b"])
        assert not selectors.user_manages_student(w[role], w["s_b9"])
        assert selectors.user_manages_student(w[role], w["s_a9"])
    # A teacher manages their class only; the coordinator the whole school.
    assert not selectors.user_manages_student(w["teacher"], w["s_a8"])
    assert selectors.user_manages_student(w["coordinator"], w["s_a8"])
    assert not selectors.user_manages_school(w["s_a9"].user, w["a"])
    assert not selectors.user_manages_student(w["s_a9"].user, w["s_a8"])


def test_student_of(world):
    assert selectors.student_of(world["s_a9"].user) == world["s_a9"]
    assert selectors.student_of(world["teacher"]) is None


def test_registered_scope_rules(world):
    w = world
    me = w["s_a9"].user
    assert in_scope(me, w["s_a9"])
    assert in_scope(me, w["a"])
    assert not in_scope(me, w["a"], "change")
    assert not in_scope(me, w["s_a8"])
    assert not in_scope(me, w["b"])
    with pytest.raises(Exception, match="Không tìm thấy"):
        check_scope(w["teacher"], w["b9"])
    assert in_scope(w["teacher"], w["a9"], "manage")
    assert not in_scope(w["teacher"], w["a8"], "manage")
    assert in_scope(w["coordinator"], w["a8"], "manage")


def test_enrolled_count_by_level_and_grade():
    c = f.commune(f.province())
    s = f.school(c, levels=["tieu_hoc", "thcs"], enrolment={5: 100, 6: 120, 7: 110})
    assert selectors.enrolled_count(s) == 330
    assert selectors.enrolled_count(s, levels=["thcs"]) == 230
    assert selectors.enrolled_count(s, grades=[5, 7]) == 210
    assert selectors.enrolled_count(s, levels=["thpt"]) == 0
