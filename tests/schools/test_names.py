"""Vietnamese class-list order and accent-free search, in the database (SQLite and PostgreSQL)."""

import random

import pytest

from core.text import name_sort_key
from schools.naming import name_sort_string
from schools.selectors import class_roster, search_students
from tests.schools import factories as f

pytestmark = pytest.mark.django_db

# The expected order, written out by hand: given name first (An < Ánh < Bình < Dũng < Đức < Ôn < Ơn
# < Uyên < Ưng < Yến), then family and middle names; tones a à ả ã á ạ.
EXPECTED = [
    "Trần Văn An",
    "Nguyễn Thị Ngọc Ánh",
    "Lê Văn Bình",
    "Phạm Dũng",
    "Nguyễn Văn Đức",
    "Trần Văn Đức",
    "Hồ Ôn",
    "Lý Ơn",
    "Đỗ Thị Uyên",
    "Vũ Ưng",
    "Bùi Thị Yến",
]


def test_python_key_and_db_string_agree_and_put_d_stroke_after_d():
    shuffled = EXPECTED[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=name_sort_key) == EXPECTED
    assert sorted(shuffled, key=name_sort_string) == EXPECTED
    assert sorted(shuffled) != EXPECTED  # plain code-point order puts Đ, Ô, Ơ, Ư after Z


def test_tone_order_a_huyen_hoi_nga_sac_nang():
    names = ["Lê Thị Ạ", "Lê Thị Á", "Lê Thị Ã", "Lê Thị Ả", "Lê Thị À", "Lê Thị A"]
    assert sorted(names, key=name_sort_string) == list(reversed(names))


def test_class_roster_is_in_vietnamese_order_in_the_database():
    school = f.school(f.commune(f.province()))
    klass = f.klass(school)
    shuffled = EXPECTED[:]
    random.Random(3).shuffle(shuffled)
    for name in shuffled:
        f.student(school, klass, name)
    assert [s.full_name for s in class_roster(klass)] == EXPECTED


def test_accent_free_search():
    school = f.school(f.commune(f.province()))
    klass = f.klass(school)
    for name in ["Nguyễn Văn Đức", "Nguyễn Văn Dục", "Trần Thị Ánh", "Lê Văn Anh"]:
        f.student(school, klass, name)
    found = [s.full_name for s in search_students(class_roster(klass), "nguyen van duc")]
    assert found == ["Nguyễn Văn Dục", "Nguyễn Văn Đức"]  # no accents, so both match; Dục before Đức
    assert [s.full_name for s in search_students(class_roster(klass), "ĐỨC")] == ["Nguyễn Văn Dục", "Nguyễn Văn Đức"]
    assert [s.full_name for s in search_students(class_roster(klass), "anh")] == ["Lê Văn Anh", "Trần Thị Ánh"]
    assert list(search_students(class_roster(klass), "hoang")) == []


def test_search_api_and_names_normalised(client, django_user_model):
    school = f.school(f.commune(f.province()))
    klass = f.klass(school)
    f.student(school, klass, "  nguyễn   văn  đức ")
    coordinator = f.staff("coordinator", school_obj=school)
    client.force_login(coordinator)
    results = client.get(f"/api/schools/classes/{klass.pk}/students/", {"q": "Nguyen Van Duc"}).json()["results"]
    assert [r["full_name"] for r in results] == ["Nguyễn Văn Đức"]
    schools = client.get("/api/schools/schools/", {"q": "truong thcs"}).json()["results"]
    assert [s["code"] for s in schools] == [school.code]
