"""Self-registration, consent rules (Law 91/2025/QH15) and verification by the school."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from schools.models import Student
from schools.selectors import public_name
from tests.schools import factories as f

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 29, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def form(world, **overrides):
    data = {
        "username": "hocsinh_moi",
        "password": "Mat-khau-2026!",
        "full_name": "Hoàng Thị Giang",
        "date_of_birth": "12/05/2012",
        "school": world.school_a.code,
        "school_class": world.class9_a.pk,
        "consent_student": True,
        "consent_guardian": True,
        "publish_name": False,
    }
    return data | overrides


def test_searchable_lists_then_register(world):
    client = APIClient()
    provinces = client.get("/api/schools/regions/", {"q": "vinh long"}).json()
    assert [p["code"] for p in provinces] == ["86"]
    communes = client.get("/api/schools/regions/", {"parent": "86"}).json()
    assert [c["code"] for c in communes] == [world.commune_a.code]
    schools = client.get(f"/api/schools/regions/{world.commune_a.code}/schools/", {"q": "thcs thu"}).json()
    assert [s["code"] for s in schools] == [world.school_a.code]
    classes = client.get(f"/api/schools/schools/{world.school_a.code}/classes/").json()
    assert [c["name"] for c in classes] == ["8A1", "9A1"]
    assert "students" not in classes[0]  # public: class names only

    response = client.post("/api/schools/register/", form(world), format="json")
    assert response.status_code == 201, response.content
    student = Student.objects.get(user__username="hocsinh_moi")
    assert student.status == "pending" and student.grade == 9 and student.school_class == world.class9_a
    assert student.consent_student and student.consent_guardian and student.consent_recorded_at
    assert student.user.check_password("Mat-khau-2026!")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent_student": False}, "consent_student"),
        ({"consent_guardian": False}, "consent_guardian"),  # 14 years old: a guardian must agree
        ({"username": "teacher_a"}, "username"),
        ({"password": "123"}, "password"),
        ({"full_name": "Giang"}, "full_name"),
        ({"date_of_birth": "31/02/2012"}, "date_of_birth"),
    ],
)
def test_registration_rejects_bad_input_and_changes_nothing(world, overrides, field):
    before = Student.objects.count()
    response = APIClient().post("/api/schools/register/", form(world, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert Student.objects.count() == before


def test_foreign_class_is_refused(world):
    response = APIClient().post("/api/schools/register/", form(world, school_class=world.class9_b.pk), format="json")
    assert response.status_code == 404
    assert not Student.objects.filter(user__username="hocsinh_moi").exists()


def test_adult_needs_no_guardian(world):
    data = form(world, date_of_birth="01/01/2009", consent_guardian=False)  # 17 on 29/11/2026
    assert APIClient().post("/api/schools/register/", data, format="json").status_code == 201


def test_verify_and_reject(world):
    client = APIClient()
    client.force_login(world.teacher_a)
    pending = world.pending_a
    response = client.post(f"/api/schools/registrations/{pending.pk}/verify/")
    assert response.status_code == 200 and response.json()["status"] == "verified"
    pending.refresh_from_db()
    assert pending.reviewed_by == world.teacher_a
    assert client.post(f"/api/schools/registrations/{pending.pk}/verify/").status_code == 409

    other = f.student(world.school_a, world.class9_a, "Đinh Văn Khoa", status="pending")
    coordinator = APIClient()
    coordinator.force_login(world.coordinator_a)
    response = coordinator.post(f"/api/schools/registrations/{other.pk}/reject/", {"note": "Không học ở trường"})
    assert response.json()["status"] == "rejected"
    other.refresh_from_db()
    assert not other.user.is_active and other.review_note == "Không học ở trường"
    assert coordinator.post(f"/api/schools/registrations/{other.pk}/reject/").status_code == 409


@pytest.mark.parametrize(
    ("dob", "consent_student", "consent_guardian", "publish", "shown"),
    [
        (datetime.date(2012, 1, 1), True, True, True, "Nguyễn Văn Đức"),
        (datetime.date(2012, 1, 1), True, False, True, "N. V. Đ."),  # a child without a guardian's consent
        (datetime.date(2012, 1, 1), True, True, False, "N. V. Đ."),  # did not choose to publish
        (datetime.date(2009, 1, 1), True, False, True, "Nguyễn Văn Đức"),  # 17: their own consent suffices
        (datetime.date(2009, 1, 1), False, True, True, "N. V. Đ."),
        (None, True, False, True, "N. V. Đ."),  # unknown age counts as a child
    ],
)
def test_public_name_follows_consent(dob, consent_student, consent_guardian, publish, shown):
    school = f.school(f.commune(f.province()))
    student = f.student(
        school,
        full_name="Nguyễn Văn Đức",
        date_of_birth=dob,
        consent_student=consent_student,
        consent_guardian=consent_guardian,
        publish_name=publish,
    )
    assert public_name(student) == shown


def test_imported_pupils_are_not_published_until_consent_is_recorded(world):
    student = world.student_a
    assert public_name(student) == "N. V. A."
    client = APIClient()
    client.force_login(world.teacher_a)
    body = {"consent_student": True, "consent_guardian": True, "publish_name": True}
    response = client.post(f"/api/schools/students/{student.pk}/consent/", body, format="json")
    assert response.json()["public_name"] == "Nguyễn Văn An"
