"""The authorization matrix of the bank endpoints: who sees, edits and approves what.

404 means "not in your scope" (existence not revealed); 403 means "you may see it but not do
this"; students and anonymous visitors never reach the bank (it holds the answers).
"""

import pytest
from rest_framework.test import APIClient

from tests.quizbank import factories as f

pytestmark = pytest.mark.django_db

QUESTIONS = ["official_draft", "official_approved", "school_a", "teacher_a_private", "teacher_a_shared", "teacher_b"]


@pytest.fixture
def bank(school_a, school_b, organiser, teacher_a, teacher_b, coordinator_a):
    return {
        "official_draft": f.make(organiser, f.single(stem="Chính thức nháp")),
        "official_approved": f.make(organiser, f.single(stem="Chính thức đã duyệt"), status="approved"),
        "school_a": f.make(coordinator_a, f.single(stem="Của trường A"), bank=f.school_bank(school_a)),
        "teacher_a_private": f.make(teacher_a, f.single(stem="Riêng GV A"), bank=f.teacher_bank(teacher_a, school_a)),
        "teacher_a_shared": f.make(
            teacher_a, f.single(stem="GV A chia sẻ"), bank=f.teacher_bank(teacher_a, school_a), shared_with_school=True
        ),
        "teacher_b": f.make(teacher_b, f.single(stem="Riêng GV B"), bank=f.teacher_bank(teacher_b, school_b)),
    }


@pytest.fixture
def users(organiser, teacher_a, teacher_a2, teacher_b, coordinator_a, student_a):
    return {
        "organiser": organiser,
        "teacher_a": teacher_a,
        "teacher_a2": teacher_a2,
        "teacher_b": teacher_b,
        "coordinator_a": coordinator_a,
        "student_a": student_a,
        "anonymous": None,
    }


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


# Expected status of GET /questions/<id>/ per user, in QUESTIONS order.
VIEW = {
    "organiser": [200, 200, 200, 404, 200, 404],
    "teacher_a": [404, 200, 200, 200, 200, 404],
    "teacher_a2": [404, 200, 200, 404, 200, 404],
    "teacher_b": [404, 200, 404, 404, 404, 200],
    "coordinator_a": [404, 200, 200, 404, 200, 404],
    "student_a": [403] * 6,
    "anonymous": [403] * 6,
}
# Expected status of PATCH /questions/<id>/ (a tag change).
EDIT = {
    "organiser": [200, 200, 200, 404, 403, 404],
    "teacher_a": [404, 403, 403, 200, 200, 404],
    "teacher_a2": [404, 403, 403, 404, 403, 404],
    "teacher_b": [404, 403, 404, 404, 404, 200],
    "coordinator_a": [404, 403, 200, 404, 403, 404],
    "student_a": [403] * 6,
    "anonymous": [403] * 6,
}


@pytest.mark.parametrize("who", list(VIEW))
def test_view_matrix(bank, users, who):
    client = client_for(users[who])
    got = [client.get(f"/api/quizbank/questions/{bank[name].pk}/").status_code for name in QUESTIONS]
    assert dict(zip(QUESTIONS, got, strict=True)) == dict(zip(QUESTIONS, VIEW[who], strict=True))


@pytest.mark.parametrize("who", list(VIEW))
def test_list_shows_exactly_the_visible_questions(bank, users, who):
    resp = client_for(users[who]).get("/api/quizbank/questions/")
    if who in ("student_a", "anonymous"):
        assert resp.status_code == 403
        assert resp.json()["error"]["code"] in ("forbidden", "not_authenticated")
        return
    assert resp.status_code == 200
    ids = {row["id"] for row in resp.json()["results"]}
    expected = {bank[name].pk for name, code in zip(QUESTIONS, VIEW[who], strict=True) if code == 200}
    assert ids == expected


@pytest.mark.parametrize("who", list(EDIT))
def test_edit_matrix(bank, users, who):
    client = client_for(users[who])
    got = []
    for name in QUESTIONS:
        resp = client.patch(f"/api/quizbank/questions/{bank[name].pk}/", {"tags": [f"sửa bởi {who}"]}, format="json")
        got.append(resp.status_code)
        bank[name].refresh_from_db()
        assert (f"sửa bởi {who}" in bank[name].tags) is (resp.status_code == 200)
    assert dict(zip(QUESTIONS, got, strict=True)) == dict(zip(QUESTIONS, EDIT[who], strict=True))


@pytest.mark.parametrize(
    ("who", "name", "expected"),
    [
        ("organiser", "official_draft", 200),
        ("teacher_a", "official_draft", 404),
        ("coordinator_a", "school_a", 200),
        ("teacher_a", "school_a", 403),  # visible, but only coordinators approve a school bank
        ("teacher_a", "teacher_a_private", 200),  # a teacher approves in their own bank
        ("teacher_a2", "teacher_a_shared", 403),
        ("organiser", "teacher_a_shared", 403),
    ],
)
def test_approve_matrix(bank, users, who, name, expected):
    resp = client_for(users[who]).post(
        f"/api/quizbank/questions/{bank[name].pk}/status/", {"status": "approved"}, format="json"
    )
    assert resp.status_code == expected, resp.content
    bank[name].refresh_from_db()
    assert (bank[name].status == "approved") is (expected == 200)


@pytest.mark.parametrize(
    ("who", "bank_key", "expected"),
    [
        ("organiser", "official", 201),
        ("teacher_a", "official", 400),
        ("teacher_a", "mine", 201),
        ("teacher_a", "school", 400),
        ("coordinator_a", "school", 201),
        ("student_a", "mine", 403),
    ],
)
def test_create_matrix(bank, users, school_a, who, bank_key, expected):
    key = f"school:{school_a.pk}" if bank_key == "school" else bank_key
    body = {**f.single(stem=f"Câu mới của {who}"), "bank": key}
    resp = client_for(users[who]).post("/api/quizbank/questions/", body, format="json")
    assert resp.status_code == expected, resp.content
    if expected == 400:
        assert "bank" in resp.json()["error"]["fields"]


def test_delete_matrix(bank, users):
    q = bank["teacher_a_private"]
    assert client_for(users["teacher_a2"]).delete(f"/api/quizbank/questions/{q.pk}/").status_code == 404
    assert client_for(users["teacher_a"]).delete(f"/api/quizbank/questions/{q.pk}/").status_code == 204
    shared = bank["teacher_a_shared"]
    assert client_for(users["coordinator_a"]).delete(f"/api/quizbank/questions/{shared.pk}/").status_code == 403


def test_bulk_refuses_foreign_questions(bank, users):
    ids = [bank["teacher_a_private"].pk, bank["teacher_b"].pk]
    resp = client_for(users["teacher_a"]).post(
        "/api/quizbank/questions/bulk/", {"ids": ids, "action": "add_tag", "value": "x"}, format="json"
    )
    assert resp.status_code == 404
    bank["teacher_a_private"].refresh_from_db()
    assert "x" not in bank["teacher_a_private"].tags


def test_copy_of_a_visible_question(bank, users):
    resp = client_for(users["teacher_a2"]).post(
        f"/api/quizbank/questions/{bank['teacher_a_shared'].pk}/copy/", {"bank": "mine"}, format="json"
    )
    assert resp.status_code == 201
    assert resp.json()["owner_user"] == "gv_a2"
    resp = client_for(users["teacher_a2"]).post(
        f"/api/quizbank/questions/{bank['teacher_a_private'].pk}/copy/", {"bank": "mine"}, format="json"
    )
    assert resp.status_code == 404
