"""The round socket and the monitor through the real ASGI stack (auth from the session).

Acknowledged means committed: each ``answer.saved`` is checked against a fresh read of the
database, on another connection.
"""

import datetime

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connections
from django.utils import timezone

from config.asgi import application
from contest import services
from contest.models import Answer, AnswerLog, Attempt, Round
from core.realtime.protocol import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED, Msg
from tests.contest import factories as cf
from tests.contest.helpers import versions_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("close_batcher_connection")]


@pytest.fixture(autouse=True)
async def _close_worker_thread_connections():
    """Consumers run their ORM work on asgiref's shared worker thread, whose connection would
    outlive the test (and keep PostgreSQL from dropping the test database)."""
    yield
    await database_sync_to_async(connections.close_all)()


FORBIDDEN_KEYS = {"correct", "correct_response", "correct_choices", "explanation_html", "points", "score", "weight"}


def session_cookie(user) -> bytes:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"sessionid={store.session_key}".encode()


def socket(path: str, user=None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]
    if user is not None:
        headers.append((b"cookie", user.cookie))
    return WebsocketCommunicator(application, path, headers=headers)


def with_cookies(*users):
    for user in users:
        user.cookie = session_cookie(user)


def keys_deep(obj) -> set:
    if isinstance(obj, dict):
        return set(obj) | {k for v in obj.values() for k in keys_deep(v)}
    if isinstance(obj, list):
        return {k for v in obj for k in keys_deep(v)}
    return set()


@pytest.fixture
def setup(db):
    w = cf.world(students=2)
    r = cf.round_(w, n_questions=6, prediction_kind="all_correct")
    with_cookies(w.organiser, *w.students)
    return w, r, {"student": w.students[0], "other": w.students[1]}


async def connect(path, user):
    ws = socket(path, user)
    connected, _ = await ws.connect()
    assert connected
    return ws


async def test_start_save_ack_after_commit_and_submit(setup):
    _w, r, users = setup
    ws = await connect(f"/ws/contest/rounds/{r.pk}/", users["student"])
    snap = await ws.receive_json_from(timeout=5)
    assert snap["type"] == Msg.ROUND_SNAPSHOT and snap["attempt"] is None
    assert snap["round"]["attempts_left"] == 1
    await ws.send_json_to({"type": Msg.ATTEMPT_START, "ref": "s"})
    snap = await ws.receive_json_from(timeout=5)
    attempt = snap["attempt"]
    assert snap["ref"] == "s" and attempt["status"] == "in_progress" and len(attempt["questions"]) == 6
    assert not keys_deep(attempt) & FORBIDDEN_KEYS  # reveal_during = nothing
    versions = await database_sync_to_async(lambda: versions_of(Attempt.objects.get(pk=attempt["id"])))()
    for i, v in enumerate(versions):
        await ws.send_json_to({"type": Msg.ANSWER_SAVE, "ref": i, "question": v.pk, "response": cf.correct_response(v)})
    acked = []
    for _ in versions:
        ack = await ws.receive_json_from(timeout=10)
        assert ack["type"] == Msg.ANSWER_SAVED, ack
        assert ack["result"] == {}  # nothing revealed during the attempt
        # Acknowledged means committed: another connection already sees the row.
        assert await database_sync_to_async(
            Answer.objects.filter(attempt_id=attempt["id"], question_version_id=ack["question"]).exists
        )()
        acked.append(ack["ref"])
    assert sorted(acked) == list(range(6))
    await ws.send_json_to({"type": Msg.ATTEMPT_PREDICT, "ref": "p", "value": 42})
    assert (await ws.receive_json_from(timeout=5)) == {"type": Msg.ATTEMPT_PREDICTED, "ref": "p", "value": 42}
    await ws.send_json_to({"type": Msg.ATTEMPT_SUBMIT, "ref": "sub"})
    closed = await ws.receive_json_from(timeout=5)
    assert closed["type"] == Msg.ATTEMPT_CLOSED and closed["status"] == "submitted" and closed["ref"] == "sub"
    assert not keys_deep(closed) & FORBIDDEN_KEYS
    await ws.send_json_to({"type": Msg.ANSWER_SAVE, "ref": "x", "question": versions[0].pk, "response": {}})
    error = await ws.receive_json_from(timeout=5)
    assert error["type"] == Msg.ERROR and error["code"] == "attempt_closed"
    await ws.disconnect()
    saved = await database_sync_to_async(lambda: Attempt.objects.get(pk=attempt["id"]))()
    assert saved.score == 60 and saved.prediction == 42


async def test_the_same_save_twice_is_harmless(setup):
    _w, r, users = setup
    await database_sync_to_async(services.attempt_start)(user=users["student"], round_=r)
    ws = await connect(f"/ws/contest/rounds/{r.pk}/", users["student"])
    snap = await ws.receive_json_from(timeout=5)
    q = snap["attempt"]["questions"][0]
    response = {"choice": q["choices"][0]["id"]} if q["type"] in ("single", "truefalse") else {"text": "x"}
    if q["type"] == "multiple":
        response = {"choices": [q["choices"][0]["id"]]}
    elif q["type"] == "numeric":
        response = {"value": 3}
    elif q["type"] == "ordering":
        response = {"order": [c["id"] for c in q["choices"]]}
    for ref in ("a", "b"):
        await ws.send_json_to({"type": Msg.ANSWER_SAVE, "ref": ref, "question": q["id"], "response": response})
    acks = [await ws.receive_json_from(timeout=5) for _ in range(2)]
    assert [a["changed"] for a in sorted(acks, key=lambda a: a["ref"])] == [True, False]
    assert await database_sync_to_async(AnswerLog.objects.count)() == 1
    await ws.disconnect()


async def test_reconnect_resumes_the_same_paper_and_answers(setup):
    _w, r, users = setup
    ws = await connect(f"/ws/contest/rounds/{r.pk}/", users["student"])
    await ws.receive_json_from(timeout=5)
    await ws.send_json_to({"type": Msg.ATTEMPT_START})
    first = (await ws.receive_json_from(timeout=5))["attempt"]
    q = next(q for q in first["questions"] if q["type"] == "single")
    await ws.send_json_to({"type": Msg.ANSWER_SAVE, "question": q["id"], "response": {"choice": q["choices"][2]["id"]}})
    await ws.receive_json_from(timeout=5)
    await ws.disconnect()
    for _ in range(2):  # a reload, then a second device
        ws = await connect(f"/ws/contest/rounds/{r.pk}/", users["student"])
        again = (await ws.receive_json_from(timeout=5))["attempt"]
        await ws.disconnect()
        assert again["id"] == first["id"] and again["deadline"] == first["deadline"]
        assert [x["id"] for x in again["questions"]] == [x["id"] for x in first["questions"]]
        assert [[c["id"] for c in x["choices"]] for x in again["questions"]] == [
            [c["id"] for c in x["choices"]] for x in first["questions"]
        ]
        saved = next(x for x in again["questions"] if x["id"] == q["id"])
        assert saved["response"] == {"choice": q["choices"][2]["id"]} and saved["saved_at"]


async def test_late_answer_is_refused_on_the_socket(setup, time_machine):
    _w, r, users = setup
    start = timezone.now() - datetime.timedelta(seconds=900.5)  # deadline 0.5 s ago: inside the grace
    attempt = await database_sync_to_async(services.attempt_start)(user=users["student"], round_=r, now=start)
    ws = await connect(f"/ws/contest/rounds/{r.pk}/", users["student"])
    snap = await ws.receive_json_from(timeout=5)
    assert snap["attempt"]["id"] == attempt.pk
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=1.6))  # now past deadline + 2 s
    v = (await database_sync_to_async(versions_of)(attempt))[0]
    await ws.send_json_to({"type": Msg.ANSWER_SAVE, "ref": 1, "question": v.pk, "response": cf.correct_response(v)})
    error = await ws.receive_json_from(timeout=5)
    assert error["type"] == Msg.ERROR and error["code"] == "late" and error["ref"] == 1
    assert not await database_sync_to_async(Answer.objects.exists)()
    await ws.disconnect()


async def test_a_submit_elsewhere_closes_every_open_socket(setup):
    _w, r, users = setup
    attempt = await database_sync_to_async(services.attempt_start)(user=users["student"], round_=r)
    phone = await connect(f"/ws/contest/rounds/{r.pk}/", users["student"])
    await phone.receive_json_from(timeout=5)
    await database_sync_to_async(Attempt.objects.filter(pk=attempt.pk).update)(prediction=1)
    await database_sync_to_async(services.attempt_submit)(user=users["student"], attempt_id=attempt.pk)
    closed = await phone.receive_json_from(timeout=5)
    assert closed["type"] == Msg.ATTEMPT_CLOSED and closed["attempt"] == attempt.pk and closed["ref"] is None
    await phone.disconnect()


async def test_bad_saves_get_errors_and_change_nothing(setup):
    _w, r, users = setup
    ws = await connect(f"/ws/contest/rounds/{r.pk}/", users["student"])
    await ws.receive_json_from(timeout=5)
    await ws.send_json_to({"type": Msg.ATTEMPT_START})
    attempt = (await ws.receive_json_from(timeout=5))["attempt"]
    qid = attempt["questions"][0]["id"]
    for ref, message, code in [
        (1, {"question": "7", "response": {}}, "bad_response"),
        (2, {"question": qid, "response": "x"}, "bad_response"),
        (3, {"question": 999999, "response": {"choice": "a"}}, "not_in_attempt"),
        (
            4,
            {"question": qid, "response": {"choice": 5, "choices": 5, "text": 5, "value": "x", "order": 5}},
            "bad_response",
        ),
    ]:
        await ws.send_json_to({"type": Msg.ANSWER_SAVE, "ref": ref, **message})
        error = await ws.receive_json_from(timeout=5)
        assert (error["type"], error["code"], error["ref"]) == (Msg.ERROR, code, ref)
    assert not await database_sync_to_async(Answer.objects.exists)()
    await ws.disconnect()


async def test_refusals_by_close_code(setup):
    w, r, users = setup
    ws = socket(f"/ws/contest/rounds/{r.pk}/")
    await ws.connect()
    assert (await ws.receive_output(timeout=5))["code"] == CLOSE_UNAUTHENTICATED
    ws = socket("/ws/contest/rounds/999999/", users["student"])
    await ws.connect()
    assert (await ws.receive_output(timeout=5))["code"] == CLOSE_NOT_FOUND
    ws = socket(f"/ws/contest/rounds/{r.pk}/", w.organiser)
    await ws.connect()
    assert (await ws.receive_output(timeout=5))["code"] == CLOSE_FORBIDDEN
    ws = socket(f"/ws/contest/rounds/{r.pk}/monitor/", users["student"])
    await ws.connect()
    assert (await ws.receive_output(timeout=5))["code"] == CLOSE_NOT_FOUND


async def test_correctness_reaches_the_socket_only_when_the_policy_allows(db):
    w = await database_sync_to_async(cf.world)(students=1)
    r = await database_sync_to_async(cf.round_)(w, n_questions=3, reveal_during=2, reveal_after_attempt=2)
    await database_sync_to_async(with_cookies)(*w.students)
    ws = await connect(f"/ws/contest/rounds/{r.pk}/", w.students[0])
    await ws.receive_json_from(timeout=5)
    await ws.send_json_to({"type": Msg.ATTEMPT_START})
    attempt = (await ws.receive_json_from(timeout=5))["attempt"]
    assert "correct_response" not in keys_deep(attempt)  # correctness yes, answers no
    v = (await database_sync_to_async(lambda: versions_of(Attempt.objects.get(pk=attempt["id"])))())[0]
    await ws.send_json_to({"type": Msg.ANSWER_SAVE, "question": v.pk, "response": cf.correct_response(v)})
    ack = await ws.receive_json_from(timeout=5)
    assert ack["result"] == {"score": 10.0, "correct": True, "points": 10.0}
    await ws.disconnect()


async def test_monitor_pushes_figures_to_the_organiser(setup, monkeypatch):
    from contest.consumers import MonitorConsumer

    monkeypatch.setattr(MonitorConsumer, "INTERVAL_S", 0.2)
    w, r, users = setup
    ws = await connect(f"/ws/contest/rounds/{r.pk}/monitor/", w.organiser)
    first = await ws.receive_json_from(timeout=5)
    assert first["type"] == Msg.MONITOR_UPDATE and first["counts"]["started"] == 0
    await database_sync_to_async(services.attempt_start)(user=users["student"], round_=r)
    update = await ws.receive_json_from(timeout=5)
    assert update["counts"]["started"] == 1 and update["counts"]["in_progress"] == 1
    await ws.disconnect()
    assert await database_sync_to_async(Round.objects.filter(pk=r.pk).exists)()
