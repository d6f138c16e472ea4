"""The question endpoints: filters, search, pagination, validation, query counts."""

import pytest
from rest_framework.test import APIClient

from quizbank.models import Question
from tests.quizbank import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(teacher_a):
    client = APIClient()
    client.force_authenticate(teacher_a)
    return client


def ids(resp):
    assert resp.status_code == 200, resp.content
    return [row["id"] for row in resp.json()["results"]]


def test_filters(api, organiser, teacher_a):
    a = f.make(organiser, f.single(stem="Mã OTP", difficulty=1), status="approved", topics=["lua-dao-otp"])
    b = f.make(organiser, f.truefalse(stem="Payment QR codes are safe", language="en"), status="approved")
    c = f.make(teacher_a, f.numeric(stem="Số tổng đài?"), bank=f.teacher_bank(teacher_a))
    assert set(ids(api.get("/api/quizbank/questions/"))) == {a.pk, b.pk, c.pk}
    assert ids(api.get("/api/quizbank/questions/", {"topic": "an-toan-mang"})) == [a.pk]
    assert ids(api.get("/api/quizbank/questions/", {"type": "truefalse"})) == [b.pk]
    assert set(ids(api.get("/api/quizbank/questions/", {"type": ["truefalse", "numeric"]}))) == {b.pk, c.pk}
    assert ids(api.get("/api/quizbank/questions/", {"difficulty": 1})) == [a.pk]
    assert ids(api.get("/api/quizbank/questions/", {"language": "en"})) == [b.pk]
    assert ids(api.get("/api/quizbank/questions/", {"status": "draft"})) == [c.pk]
    assert ids(api.get("/api/quizbank/questions/", {"owner": "mine"})) == [c.pk]
    assert set(ids(api.get("/api/quizbank/questions/", {"owner": "official"}))) == {a.pk, b.pk}
    assert ids(api.get("/api/quizbank/questions/", {"q": "ma otp"})) == [a.pk]
    assert ids(api.get("/api/quizbank/questions/", {"q": "TỔNG ĐÀI"})) == [c.pk]


def test_pagination_and_query_count(api, organiser, django_assert_max_num_queries):
    for i in range(30):
        f.make(organiser, f.single(stem=f"Câu số {i}"), status="approved", topics=["kinh-te-so"], tags=["t"])
    with django_assert_max_num_queries(9):
        # session user + groups, scope memberships, count, page, prefetch topics,
        # plus the per-row rights that need no query for a teacher
        resp = api.get("/api/quizbank/questions/", {"page_size": 25})
    body = resp.json()
    assert body["count"] == 30 and len(body["results"]) == 25 and body["next"]
    row = body["results"][0]
    assert row["topics"][0]["slug"] == "kinh-te-so"
    assert row["stats"] == {
        "times_used": 0,
        "answer_count": 0,
        "facility": None,
        "discrimination": None,
        "avg_time_s": None,
    }
    assert row["can_edit"] is False
    assert len(ids(api.get("/api/quizbank/questions/", {"page": 2, "page_size": 25}))) == 5


def test_create_and_read_with_answers(api):
    resp = api.post(
        "/api/quizbank/questions/",
        {**f.short(accepted=["Hà Nội"], ignore_accents=True), "topics": ["xa-hoi-so"], "tags": ["thủ đô"]},
        format="json",
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["content"]["answer"] == {"accepted": ["Hà Nội"], "ignore_accents": True}
    assert body["owner_user"] == "gv_a" and body["status"] == "draft" and body["version"] == 1
    detail = api.get(f"/api/quizbank/questions/{body['id']}/").json()
    assert detail["topics"][0]["slug"] == "xa-hoi-so" and detail["versions"] == 1


def test_invalid_create_is_a_400_with_fields_and_changes_nothing(api):
    bad = f.single()
    bad["choices"] = bad["choices"][:1]
    resp = api.post("/api/quizbank/questions/", {**bad, "difficulty": 9}, format="json")
    assert resp.status_code == 400
    err = resp.json()["error"]
    assert err["code"] == "invalid"
    assert set(err["fields"]) == {"choices", "difficulty"}
    assert Question.objects.count() == 0
    resp = api.post("/api/quizbank/questions/", {"qtype": "essay", "stem": "x"}, format="json")
    assert resp.status_code == 400 and "qtype" in resp.json()["error"]["fields"]


def test_duplicate_create_is_a_409(api):
    assert api.post("/api/quizbank/questions/", f.single(), format="json").status_code == 201
    resp = api.post("/api/quizbank/questions/", f.single(), format="json")
    assert resp.status_code == 409 and resp.json()["error"]["code"] == "duplicate"
    assert (
        api.post("/api/quizbank/questions/", {**f.single(), "allow_duplicate": True}, format="json").status_code == 201
    )


def test_edit_used_question_via_api_makes_a_version(api, teacher_a):
    from quizbank.services import version_for_round

    q = f.make(teacher_a, bank=f.teacher_bank(teacher_a))
    version_for_round(q)
    resp = api.patch(f"/api/quizbank/questions/{q.pk}/", {"content": {"stem": "Đề mới"}}, format="json")
    assert resp.status_code == 200
    assert resp.json()["version"] == 2 and resp.json()["versions"] == 2
    resp = api.patch(f"/api/quizbank/questions/{q.pk}/", {"content": {"difficulty": 0}}, format="json")
    assert resp.status_code == 400
    q.refresh_from_db()
    assert q.current_version.stem == "Đề mới"


def test_preview_endpoint(api):
    resp = api.post(
        "/api/quizbank/questions/preview/", {**f.single(stem="*Xem*"), "explanation": "bí mật"}, format="json"
    )
    assert resp.status_code == 200
    assert resp.json()["stem_html"] == "<p><em>Xem</em></p>"
    assert "bí mật" not in resp.content.decode()


def test_topics_and_banks(api, teacher_a):
    topics = api.get("/api/quizbank/topics/").json()
    assert topics[0]["slug"] == "chinh-sach-cds" and topics[0]["depth"] == 0
    assert {"slug": "ky-nang-so-ai", "parent": "ky-nang-so"}.items() <= next(
        t for t in topics if t["slug"] == "ky-nang-so-ai"
    ).items()
    assert [b["key"] for b in api.get("/api/quizbank/banks/").json()] == ["mine"]


def test_bulk_api(api, teacher_a):
    qs = [f.make(teacher_a, f.single(stem=f"Câu {i}"), bank=f.teacher_bank(teacher_a)) for i in range(3)]
    resp = api.post(
        "/api/quizbank/questions/bulk/",
        {"ids": [q.pk for q in qs], "action": "status", "value": "review"},
        format="json",
    )
    assert resp.json() == {"changed": 3}
    assert set(Question.objects.values_list("status", flat=True)) == {"review"}
    resp = api.post("/api/quizbank/questions/bulk/", {"ids": [qs[0].pk], "action": "explode"}, format="json")
    assert resp.status_code == 400
