import pytest

from tests.schools import factories as sf


@pytest.fixture
def province(db):
    return sf.province()


@pytest.fixture
def school_a(province):
    return sf.school(sf.commune(province), name="Trường THCS Lê Lợi")


@pytest.fixture
def school_b(province):
    return sf.school(sf.commune(province), name="Trường THCS Trần Phú")


@pytest.fixture
def organiser(province):
    return sf.staff("organiser", region=province, username="btc")


@pytest.fixture
def teacher_a(school_a):
    return sf.staff("teacher", school_obj=school_a, username="gv_a")


@pytest.fixture
def teacher_a2(school_a):
    return sf.staff("teacher", school_obj=school_a, username="gv_a2")


@pytest.fixture
def teacher_b(school_b):
    return sf.staff("teacher", school_obj=school_b, username="gv_b")


@pytest.fixture
def coordinator_a(school_a):
    return sf.staff("coordinator", school_obj=school_a, username="dp_a")


@pytest.fixture
def student_a(school_a):
    return sf.student(school_a, username="hs_a").user
