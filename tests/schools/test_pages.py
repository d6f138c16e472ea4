"""Pages: each role reaches its own, out-of-scope objects answer 404, forms change nothing on bad input."""

import pytest

from schools.models import Student
from tests.schools.test_api_authorization import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("teacher", "/schools/classes/"),
        ("coordinator", "/schools/my-school/"),
        ("organiser", "/schools/regions/"),
        ("student", "/schools/me/"),
    ],
)
def test_home_sends_each_role_to_its_page(world, role, target):
    response = client_for(world, role).get("/schools/")
    assert response.status_code == 302 and response["Location"] == target


def test_teacher_pages(world, django_assert_max_num_queries):
    client = client_for(world, "teacher")
    page = client.get("/schools/classes/").content.decode()
    assert "9A1" in page and "8A1" not in page
    with django_assert_max_num_queries(12):
        page = client.get(f"/schools/classes/{world.class9_a.pk}/").content.decode()
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" not in page
    assert (
        client.get(f"/schools/classes/{world.class9_a.pk}/", {"q": "nguyen van an"})
        .content.decode()
        .count("<tr data-student=")
        == 1
    )
    for url in (
        f"/schools/classes/{world.class8_a.pk}/",
        f"/schools/classes/{world.class9_b.pk}/",
        f"/schools/school/{world.school_b.code}/",
    ):
        assert client.get(url).status_code == 404, url
    # Their own school's page: its figures, but only their classes and their pending pupils.
    page = client.get(f"/schools/school/{world.school_a.code}/").content.decode()
    assert "Lê Minh Châu" in page and f"/schools/classes/{world.class9_a.pk}/" in page
    assert f"/schools/classes/{world.class8_a.pk}/" not in page
    assert "Trần Thị Bình" not in client.get(f"/schools/school/{world.school_a.code}/", {"q": "binh"}).content.decode()
    assert client.get("/schools/import/").status_code == 200


def test_coordinator_school_page_and_review(world):
    client = client_for(world, "coordinator")
    page = client.get(f"/schools/school/{world.school_a.code}/").content.decode()
    assert "Lê Minh Châu" in page  # the pending registration
    assert "200" in page and "180" in page  # enrolment by grade
    assert client.get(f"/schools/school/{world.school_b.code}/").status_code == 404
    response = client.post(f"/schools/registrations/{world.pending_a.pk}/review/", {"decision": "verify"})
    assert response.status_code == 302
    world.pending_a.refresh_from_db()
    assert world.pending_a.status == "verified"
    response = client.post(f"/schools/registrations/{world.pending_b.pk}/review/", {"decision": "reject"})
    assert response.status_code == 404
    world.pending_b.refresh_from_db()
    assert world.pending_b.status == "pending"


def test_organiser_region_tree_and_search(world):
    client = client_for(world, "organiser")
    page = client.get("/schools/regions/").content.decode()
    assert world.school_a.name in page and world.commune_a.name in page
    assert world.commune_b.name not in page
    found = client.get("/schools/regions/", {"q": "truong thcs thu"}).content.decode()
    assert f"/schools/school/{world.school_a.code}/" in found
    assert f"/schools/school/{world.school_b.code}/" not in found


def test_student_pages(world):
    client = client_for(world, "student")
    page = client.get("/schools/me/").content.decode()
    assert "Nguyễn Văn An" in page and "N. V. A." in page
    for url in (f"/schools/classes/{world.class9_a.pk}/", f"/schools/school/{world.school_a.code}/"):
        assert client.get(url).status_code == 404
    assert client.get("/schools/import/").status_code == 403
    assert client.get("/schools/classes/").status_code == 403


def test_anonymous_is_sent_to_sign_in(world):
    client = client_for(world, "anonymous")
    for url in ("/schools/classes/", "/schools/regions/", "/schools/me/", "/schools/import/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_registration_page_without_javascript(world, client):
    # Each choice reloads the page with the next list.
    page = client.get("/schools/register/", {"province": "86"}).content.decode()
    assert world.commune_a.name in page and world.commune_b.name not in page
    page = client.get(
        "/schools/register/", {"province": "86", "commune": world.commune_a.code, "school": world.school_a.code}
    ).content.decode()
    assert "9A1" in page
    data = {
        "province": "86",
        "commune": world.commune_a.code,
        "school": world.school_a.code,
        "school_class": world.class9_a.pk,
        "full_name": "Hoàng Thị Giang",
        "date_of_birth": "12/05/2012",
        "username": "giang2012",
        "password": "Mat-khau-2026!",
        "consent_student": "on",
    }
    response = client.post("/schools/register/", data)
    assert response.status_code == 400  # a 14-year-old needs a guardian's consent
    assert "cha mẹ hoặc người giám hộ" in response.content.decode()
    assert not Student.objects.filter(user__username="giang2012").exists()
    response = client.post("/schools/register/", data | {"consent_guardian": "on"})
    assert response.status_code == 302 and response["Location"] == "/schools/me/"
    student = Student.objects.get(user__username="giang2012")
    assert student.status == "pending" and student.school_class == world.class9_a
    assert "Hoàng Thị Giang" in client.get("/schools/me/").content.decode()
