"""Authorization matrix: every schools endpoint, for each role and anonymous, on own and foreign
objects. "Own" objects belong to school A (province 86); "foreign" ones to school B (province 87).
A role sees only A: a foreign object answers 404 (its existence is not revealed) or 403.
"""

import pytest
from rest_framework.test import APIClient

from tests.schools.files import xlsx

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student", "teacher", "coordinator", "organiser"]
ACCOUNT = {"student": "student_a", "teacher": "teacher_a", "coordinator": "coordinator_a", "organiser": "organiser_a"}
ANON = (401, 403)
NO = (403, 404)


def roster_upload(w, side):
    data = xlsx([["Họ và tên", "Ngày sinh", "Lớp"], ["Võ Thị Em", "03/04/2012", "9A1"]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"kind": "roster", "school": w[f"school_{side}"].code, "file": SimpleUploadedFile("r.xlsx", data)}


# name: (method, url(w, side), body(w, side) or None, expected for own objects per role)
# Foreign objects: 404/403 for every signed-in role unless listed in PUBLIC.
ENDPOINTS = {
    "regions": (
        "get",
        lambda w, s: f"/api/schools/regions/?parent={w[f'province_{s}'].code}",
        None,
        dict.fromkeys(ROLES, 200),
    ),
    "commune-schools": (
        "get",
        lambda w, s: f"/api/schools/regions/{w[f'commune_{s}'].code}/schools/",
        None,
        dict.fromkeys(ROLES, 200),
    ),
    "school-classes-public": (
        "get",
        lambda w, s: f"/api/schools/schools/{w[f'school_{s}'].code}/classes/",
        None,
        dict.fromkeys(ROLES, 200),
    ),
    "school": (
        "get",
        lambda w, s: f"/api/schools/schools/{w[f'school_{s}'].code}/",
        None,
        {"anonymous": ANON, "student": 200, "teacher": 200, "coordinator": 200, "organiser": 200},
    ),
    "school-members": (
        "get",
        lambda w, s: f"/api/schools/schools/{w[f'school_{s}'].code}/members/",
        None,
        {"anonymous": ANON, "student": NO, "teacher": NO, "coordinator": 200, "organiser": 200},
    ),
    "school-members-add": (
        "post",
        lambda w, s: f"/api/schools/schools/{w[f'school_{s}'].code}/members/",
        lambda w, s: {"username": f"spare_{s}", "role": "teacher"},
        {"anonymous": ANON, "student": NO, "teacher": NO, "coordinator": 201, "organiser": 201},
    ),
    "class-students": (
        "get",
        lambda w, s: f"/api/schools/classes/{w[f'class9_{s}'].pk}/students/",
        None,
        {"anonymous": ANON, "student": NO, "teacher": 200, "coordinator": 200, "organiser": 200},
    ),
    "class-students-other-class": (
        "get",
        lambda w, s: f"/api/schools/classes/{w[f'class8_{s}'].pk}/students/",
        None,
        {"anonymous": ANON, "student": NO, "teacher": NO, "coordinator": 200, "organiser": 200},
    ),
    "class-teachers": (
        "post",
        lambda w, s: f"/api/schools/classes/{w[f'class8_{s}'].pk}/teachers/",
        lambda w, s: {"username": f"teacher_{s}"},
        {"anonymous": ANON, "student": NO, "teacher": NO, "coordinator": 204, "organiser": 204},
    ),
    "class-cards": (
        "get",
        lambda w, s: f"/api/schools/classes/{w[f'class9_{s}'].pk}/login-cards.pdf",
        None,
        {"anonymous": ANON, "student": NO, "teacher": 200, "coordinator": 200, "organiser": 200},
    ),
    "student": (
        "get",
        lambda w, s: f"/api/schools/students/{w[f'student_{s}'].pk}/",
        None,
        {"anonymous": ANON, "student": 200, "teacher": 200, "coordinator": 200, "organiser": 200},
    ),
    "student-other": (
        "get",
        lambda w, s: f"/api/schools/students/{w[f'student8_{s}'].pk}/",
        None,
        {"anonymous": ANON, "student": NO, "teacher": NO, "coordinator": 200, "organiser": 200},
    ),
    "student-consent": (
        "post",
        lambda w, s: f"/api/schools/students/{w[f'student_{s}'].pk}/consent/",
        lambda w, s: {"consent_student": True, "consent_guardian": True, "publish_name": True},
        {"anonymous": ANON, "student": NO, "teacher": 200, "coordinator": 200, "organiser": 200},
    ),
    "registration-verify": (
        "post",
        lambda w, s: f"/api/schools/registrations/{w[f'pending_{s}'].pk}/verify/",
        None,
        {"anonymous": ANON, "student": NO, "teacher": 200, "coordinator": 200, "organiser": 200},
    ),
    "registration-reject": (
        "post",
        lambda w, s: f"/api/schools/registrations/{w[f'pending_{s}'].pk}/reject/",
        lambda w, s: {"note": "không có trong lớp"},
        {"anonymous": ANON, "student": NO, "teacher": 200, "coordinator": 200, "organiser": 200},
    ),
    "imports": (
        "post",
        lambda w, s: "/api/schools/imports/",
        roster_upload,
        {"anonymous": ANON, "student": NO, "teacher": 201, "coordinator": 201, "organiser": 201},
    ),
    "import": (
        "get",
        lambda w, s: f"/api/schools/imports/{w[f'job_{s}'].pk}/",
        None,
        {"anonymous": ANON, "student": NO, "teacher": 200, "coordinator": NO, "organiser": NO},
    ),
    "import-advance": (
        "post",
        lambda w, s: f"/api/schools/imports/{w[f'job_{s}'].pk}/advance/",
        None,
        {"anonymous": ANON, "student": NO, "teacher": 200, "coordinator": NO, "organiser": NO},
    ),
}
PUBLIC = {"regions", "commune-schools", "school-classes-public"}

# Endpoints with no object: who may call them at all.
COLLECTIONS = {
    "/api/schools/schools/": {"anonymous": ANON, "student": 200, "teacher": 200, "coordinator": 200, "organiser": 200},
    "/api/schools/classes/": {"anonymous": ANON, "student": 403, "teacher": 200, "coordinator": 200, "organiser": 200},
    "/api/schools/registrations/": {
        "anonymous": ANON,
        "student": 403,
        "teacher": 200,
        "coordinator": 200,
        "organiser": 200,
    },
    "/api/schools/students/me/": {
        "anonymous": ANON,
        "student": 200,
        "teacher": 404,
        "coordinator": 404,
        "organiser": 404,
    },
}


def client_for(world, role) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        account = world[ACCOUNT[role]]
        client.force_login(getattr(account, "user", account))
    return client


def call(client, method, url, body):
    if method == "get":
        return client.get(url)
    fmt = "multipart" if body and "file" in body else "json"
    return client.post(url, body or {}, format=fmt)


def _ok(status, expected) -> bool:
    return status in expected if isinstance(expected, tuple) else status == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_endpoint_own_object(world, name, role):
    method, url, body, expected = ENDPOINTS[name]
    response = call(client_for(world, role), method, url(world, "a"), body(world, "a") if body else None)
    assert _ok(response.status_code, expected[role]), (name, role, response.status_code, response.content[:300])
    if response.status_code >= 400:
        assert "error" in response.json()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_endpoint_foreign_object(world, name, role):
    method, url, body, _own = ENDPOINTS[name]
    response = call(client_for(world, role), method, url(world, "b"), body(world, "b") if body else None)
    if name in PUBLIC:
        expected = 200
    else:
        expected = ANON if role == "anonymous" else NO
    assert _ok(response.status_code, expected), (name, role, response.status_code, response.content[:300])
    if response.status_code >= 400:
        assert "error" in response.json()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(COLLECTIONS))
def test_collection_endpoints(world, url, role):
    response = client_for(world, role).get(url)
    assert _ok(response.status_code, COLLECTIONS[url][role]), (url, role, response.status_code)


@pytest.mark.parametrize("role", ["student", "teacher", "coordinator", "organiser"])
def test_lists_never_show_foreign_rows(world, role):
    client = client_for(world, role)
    schools = client.get("/api/schools/schools/").json()["results"]
    assert [s["code"] for s in schools] == [world.school_a.code]
    if role == "student":
        return
    classes = client.get("/api/schools/classes/").json()["results"]
    assert {c["school"] for c in classes} == {world.school_a.code}
    expected_classes = {"9A1"} if role == "teacher" else {"9A1", "8A1"}
    assert {c["name"] for c in classes} == expected_classes
    pending = client.get("/api/schools/registrations/").json()["results"]
    assert [p["id"] for p in pending] == [world.pending_a.pk]
    # Asking for a foreign school's rows by filter gives nothing either.
    assert client.get(f"/api/schools/classes/?school={world.school_b.code}").json()["results"] == []
    assert client.get(f"/api/schools/registrations/?school={world.school_b.code}").json()["results"] == []


def test_student_sees_only_their_own_record(world):
    client = client_for(world, "student")
    me = client.get("/api/schools/students/me/").json()
    assert me["id"] == world.student_a.pk and me["full_name"] == "Nguyễn Văn An"
    for other in (world.student8_a, world.student_b, world.pending_a):
        assert client.get(f"/api/schools/students/{other.pk}/").status_code == 404


def test_list_endpoints_have_bounded_queries(world, django_assert_max_num_queries):
    """Adding pupils must not add queries (no N+1)."""
    from tests.schools import factories as f

    for i in range(15):
        f.student(world.school_a, world.class9_a, f"Ngô Văn Số {chr(65 + i)}")
        f.student(world.school_a, world.class9_a, f"Hồ Thị Chờ {chr(65 + i)}", status="pending")
    client = client_for(world, "coordinator")
    for url in (
        f"/api/schools/classes/{world.class9_a.pk}/students/",
        "/api/schools/registrations/",
        "/api/schools/classes/",
        "/api/schools/schools/",
    ):
        # session, user, groups/scope, count, page (+ membership lookups)
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200


def test_staff_appointments_refuse_student_accounts_and_unknown_users(world):
    client = client_for(world, "coordinator")
    for body in ({"username": "hs9_a"}, {"username": "nobody"}):
        response = client.post(f"/api/schools/classes/{world.class8_a.pk}/teachers/", body, format="json")
        assert response.status_code == 400 and "username" in response.json()["error"]["fields"]
        response = client.post(
            f"/api/schools/schools/{world.school_a.code}/members/", body | {"role": "teacher"}, format="json"
        )
        assert response.status_code == 400
    # A coordinator cannot appoint another coordinator; an organiser can.
    body = {"username": "spare_a", "role": "coordinator"}
    assert client.post(f"/api/schools/schools/{world.school_a.code}/members/", body, format="json").status_code == 403
    organiser = client_for(world, "organiser")
    assert (
        organiser.post(f"/api/schools/schools/{world.school_a.code}/members/", body, format="json").status_code == 201
    )
    from schools.selectors import user_coordinates_school

    assert user_coordinates_school(world.spare_a, world.school_a)
