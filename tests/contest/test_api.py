"""The REST API: the student flow (the websocket's fallback), organiser endpoints, scope,
bad input, and no correctness before the reveal policy allows."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from contest import services
from contest.models import Answer, AnswerLog, Attempt, Contest, Round
from tests.contest import factories as cf
from tests.contest.helpers import take, versions_of
from tests.schools import factories as sf

pytestmark = pytest.mark.django_db

SECRET_KEYS = {"correct", "correct_response", "correct_choices", "explanation_html", "points", "score", "weight"}


def client_for(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def keys_deep(obj) -> set:
    if isinstance(obj, dict):
        return set(obj) | {k for v in obj.values() for k in keys_deep(v)}
    if isinstance(obj, list):
        return {k for v in obj for k in keys_deep(v)}
    return set()


def test_student_flow_over_rest(w):
    r = cf.round_(w, n_questions=4, prediction_kind="participants")
    api = client_for(w.students[0])
    listing = api.get("/api/contest/rounds/").json()
    assert [x["id"] for x in listing["open"]] == [r.pk]
    started = api.post(f"/api/contest/rounds/{r.pk}/attempts/")
    assert started.status_code == 201
    state = started.json()
    assert not keys_deep(state) & SECRET_KEYS
    attempt = Attempt.objects.get(pk=state["id"])
    for v in versions_of(attempt):
        resp = api.put(
            f"/api/contest/attempts/{attempt.pk}/answers/{v.pk}/", {"response": cf.correct_response(v)}, format="json"
        )
        assert resp.status_code == 200, resp.json()
        body = resp.json()
        assert body["changed"] and body["result"] == {}
        assert Answer.objects.filter(attempt=attempt, question_version=v).exists()  # committed before the reply
    again = api.get(f"/api/contest/attempts/{attempt.pk}/").json()
    assert [q["response"] for q in again["questions"]] == [cf.correct_response(v) for v in versions_of(attempt)]
    assert not keys_deep(again) & SECRET_KEYS
    refused = api.post(f"/api/contest/attempts/{attempt.pk}/submit/")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "prediction_required"
    assert api.post(f"/api/contest/attempts/{attempt.pk}/prediction/", {"value": 1}, format="json").status_code == 200
    done = api.post(f"/api/contest/attempts/{attempt.pk}/submit/").json()
    assert done["status"] == "submitted"
    assert done["score"] == 40  # reveal_after_attempt = score
    assert "correct" not in keys_deep(done["questions"])  # but not correctness yet


def test_results_after_close_follow_the_policy(w):
    r = cf.round_(w, n_questions=2, reveal_after_attempt=1, reveal_after_close=4)
    api = client_for(w.students[0])
    attempt = Attempt.objects.get(pk=api.post(f"/api/contest/rounds/{r.pk}/attempts/").json()["id"])
    api.post(f"/api/contest/attempts/{attempt.pk}/submit/")
    Round.objects.filter(pk=r.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    state = api.get(f"/api/contest/attempts/{attempt.pk}/").json()  # finalizes on access
    assert state["rank"] == 1
    assert all("correct_response" in q and "explanation_html" in q for q in state["questions"])


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 400, "invalid"),
        ({"response": "x"}, 400, "bad_response"),
        ({"response": {"choice": "nope"}}, 400, "bad_response"),
    ],
)
def test_bad_answers_get_a_4xx_with_a_code_and_change_nothing(w, body, status, code):
    r = cf.round_(w, n_questions=3, shuffle_questions=False)
    api = client_for(w.students[0])
    attempt = Attempt.objects.get(pk=api.post(f"/api/contest/rounds/{r.pk}/attempts/").json()["id"])
    v = next(v for v in versions_of(attempt) if v.qtype == "single")
    resp = api.put(f"/api/contest/attempts/{attempt.pk}/answers/{v.pk}/", body, format="json")
    assert resp.status_code == status
    assert resp.json()["error"]["code"] == code and resp.json()["error"]["message"]
    assert not Answer.objects.exists() and not AnswerLog.objects.exists()


def test_students_cannot_reach_other_students_or_schools(w):
    r = cf.round_(w, n_questions=2)
    mine = client_for(w.students[0])
    attempt_id = mine.post(f"/api/contest/rounds/{r.pk}/attempts/").json()["id"]
    v = versions_of(Attempt.objects.get(pk=attempt_id))[0]
    classmate = client_for(w.students[1])
    assert classmate.get(f"/api/contest/attempts/{attempt_id}/").status_code == 404
    put = classmate.put(f"/api/contest/attempts/{attempt_id}/answers/{v.pk}/", {"response": {}}, format="json")
    assert put.status_code == 404
    assert classmate.post(f"/api/contest/attempts/{attempt_id}/submit/").status_code == 404
    other = client_for(sf.student(sf.school(sf.commune(sf.province("87", "Đồng Tháp"))), username="ngoai").user)
    assert other.get(f"/api/contest/rounds/{r.pk}/").status_code == 404
    assert other.post(f"/api/contest/rounds/{r.pk}/attempts/").status_code == 404
    assert other.get("/api/contest/rounds/").json()["open"] == []
    # Staff endpoints refuse students altogether.
    assert mine.get(f"/api/contest/manage/rounds/{r.pk}/standings/").status_code == 403
    assert Attempt.objects.count() == 1


def test_organiser_creates_contest_round_and_questions(w):
    api = client_for(w.organiser)
    created = api.post(
        "/api/contest/manage/contests/",
        {"name": "Cuộc thi mới", "year": 2027, "region": w.province.code, "grades": [8, 9],
         "individual_prizes": [{"name": "Giải Nhất", "count": 1}]},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    contest = Contest.objects.get(pk=created.json()["id"])
    local = timezone.localtime(contest.opens_at)
    assert (local.year, local.month, local.day, local.hour) == (2027, 10, 10, 0)  # Digital Transformation Day
    now = timezone.now()
    round_body = {
        "name": "Tuần 1", "opens_at": now.isoformat(), "closes_at": (now + datetime.timedelta(days=7)).isoformat(),
        "duration_s": 900, "attempts_policy": "max_n", "max_attempts": 2, "selection": "fixed",
        "scoring_format": "contest", "scoring_config": {"points_per_question": 5},
    }  # fmt: skip
    made = api.post(f"/api/contest/manage/contests/{contest.pk}/rounds/", round_body, format="json")
    assert made.status_code == 201, made.json()
    qs = cf.questions(3)
    put = api.put(
        f"/api/contest/manage/rounds/{made.json()['id']}/questions/", {"questions": [q.pk for q in qs]}, format="json"
    )
    assert put.status_code == 200 and put.json()["questions"] == [q.pk for q in qs]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"closes_at": "2020-01-01T00:00:00Z"}, "closes_at"),
        ({"duration_s": 5}, "duration_s"),
        ({"attempts_policy": "max_n", "max_attempts": None}, "max_attempts"),
        ({"scoring_config": {"points_per_question": -1}}, "scoring_config"),
        ({"selection": "random", "draw_spec": [{"topics": ["khong-co"], "count": 3}]}, "draw_spec"),
        ({"reveal_during": 4, "reveal_after_attempt": 1}, "reveal_after_close"),
    ],
)
def test_bad_round_settings_are_refused_field_by_field_and_change_nothing(w, change, field):
    r = cf.round_(w, n_questions=2)
    before = Round.objects.filter(pk=r.pk).values().get()
    resp = client_for(w.organiser).patch(f"/api/contest/manage/rounds/{r.pk}/", change, format="json")
    assert resp.status_code == 400, resp.json()
    assert field in resp.json()["error"]["fields"]
    assert Round.objects.filter(pk=r.pk).values().get() == before


def test_paper_is_locked_once_attempts_exist(w):
    r = cf.round_(w, n_questions=2)
    services.attempt_start(user=w.students[0], round_=r)
    api = client_for(w.organiser)
    resp = api.patch(f"/api/contest/manage/rounds/{r.pk}/", {"duration_s": 60}, format="json")
    assert resp.status_code == 409 and "duration_s" in resp.json()["error"]["fields"]
    resp = api.put(
        f"/api/contest/manage/rounds/{r.pk}/questions/", {"questions": [cf.questions(1)[0].pk]}, format="json"
    )
    assert resp.status_code == 409


def test_organisers_of_another_province_see_nothing(w):
    other_org = sf.staff("organiser", region=sf.province("87", "Đồng Tháp"), username="btc87")
    r = cf.round_(w, n_questions=1)
    api = client_for(other_org)
    assert api.get(f"/api/contest/manage/contests/{w.contest.pk}/").status_code == 404
    assert api.get(f"/api/contest/manage/rounds/{r.pk}/monitor/").status_code == 404
    assert api.post(f"/api/contest/manage/rounds/{r.pk}/rescore/").status_code == 404
    assert api.get("/api/contest/manage/contests/").json() == []
    denied = api.post(
        "/api/contest/manage/contests/", {"name": "X", "year": 2026, "region": w.province.code}, format="json"
    )
    assert denied.status_code == 400 and "region" in denied.json()["error"]["fields"]


def test_monitor_standings_log_and_disqualify(w, django_assert_max_num_queries):
    r = cf.round_(w, n_questions=2)
    a = take(w.students[0], r, correct=2)
    take(w.students[1], r, correct=1)
    api = client_for(w.organiser)
    with django_assert_max_num_queries(12):
        stats = api.get(f"/api/contest/manage/rounds/{r.pk}/monitor/").json()
    assert stats["counts"]["submitted"] == 2 and stats["top"][0]["score"] == 20
    with django_assert_max_num_queries(12):
        rows = api.get(f"/api/contest/manage/rounds/{r.pk}/standings/").json()["rows"]
    assert [x["score"] for x in rows] == [20, 10]
    log = api.get(f"/api/contest/manage/attempts/{a.pk}/log/").json()
    assert len(log) == 2 and all(e["received_at"] for e in log)
    resp = api.post(f"/api/contest/manage/attempts/{a.pk}/disqualify/", {"reason": "Thi hộ"}, format="json")
    assert resp.json() == {"attempt": a.pk, "disqualified": True, "counted": False}


def test_the_round_list_does_not_grow_queries_with_rounds(w, django_assert_max_num_queries):
    rounds = [cf.round_(w, n_questions=1) for _ in range(6)]
    take(w.students[0], rounds[0], correct=1)
    api = client_for(w.students[0])
    with django_assert_max_num_queries(10):
        listing = api.get("/api/contest/rounds/").json()
    assert len(listing["open"]) == 6
