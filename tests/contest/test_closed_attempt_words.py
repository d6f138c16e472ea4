"""One vocabulary over both transports once an attempt ends: a save answers ``late`` while
the attempt is still open past its deadline and grace, ``attempt_closed`` once it is closed,
and a second submit answers as the first did, over the socket as over REST."""

import asyncio
import datetime

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.utils import timezone

from contest import services
from contest.models import Answer, Attempt
from core.realtime.protocol import Msg
from tests.contest import factories as cf
from tests.contest.helpers import versions_of
from tests.contest.test_consumers import (  # noqa: F401 - fixtures
    _close_worker_thread_connections,
    connect,
    with_cookies,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("close_batcher_connection")]


@pytest.fixture
def setup(db):
    w = cf.world(students=1)
    r = cf.round_(w, n_questions=3)
    with_cookies(*w.students)
    return r, w.students[0]


def rest(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def rest_save(user, attempt_id: int, version_id: int, response: dict):
    def call():
        return rest(user).put(
            f"/api/contest/attempts/{attempt_id}/answers/{version_id}/",
            {"response": response},
            content_type="application/json",
        )

    return await database_sync_to_async(call)()


async def rest_submit(user, attempt_id: int):
    return await database_sync_to_async(lambda: rest(user).post(f"/api/contest/attempts/{attempt_id}/submit/"))()


async def ws_request(ws, content: dict) -> dict:
    await ws.send_json_to(content)
    return await ws.receive_json_from(timeout=5)


async def test_after_a_submit_both_transports_say_attempt_closed_and_submit_again_answers_alike(setup):
    r, student = setup
    ws = await connect(f"/ws/contest/rounds/{r.pk}/", student)
    await ws.receive_json_from(timeout=5)
    snap = await ws_request(ws, {"type": Msg.ATTEMPT_START, "ref": "s"})
    attempt_id = snap["attempt"]["id"]
    attempt = await database_sync_to_async(Attempt.objects.get)(pk=attempt_id)
    v = (await database_sync_to_async(versions_of)(attempt))[0]
    first = await ws_request(ws, {"type": Msg.ATTEMPT_SUBMIT, "ref": 1})
    assert first["type"] == Msg.ATTEMPT_CLOSED and first["status"] == "submitted"

    again = await ws_request(ws, {"type": Msg.ATTEMPT_SUBMIT, "ref": 2})
    assert again["type"] == Msg.ATTEMPT_CLOSED and again["ref"] == 2
    assert {k: again[k] for k in ("attempt", "status", "result_url")} == {
        k: first[k] for k in ("attempt", "status", "result_url")
    }
    save = await ws_request(ws, {"type": Msg.ANSWER_SAVE, "ref": 3, "question": v.pk, "response": {"choice": "a"}})
    assert (save["type"], save["code"], save["ref"]) == (Msg.ERROR, "attempt_closed", 3)
    predict = await ws_request(ws, {"type": Msg.ATTEMPT_PREDICT, "ref": 4, "value": 3})
    assert predict["code"] == "attempt_closed"
    await ws.disconnect()

    # A new socket (a reload) knows the attempt ended, too.
    ws = await connect(f"/ws/contest/rounds/{r.pk}/", student)
    assert (await ws.receive_json_from(timeout=5))["attempt"] is None
    save = await ws_request(ws, {"type": Msg.ANSWER_SAVE, "ref": 5, "question": v.pk, "response": {"choice": "a"}})
    assert save["code"] == "attempt_closed"
    again = await ws_request(ws, {"type": Msg.ATTEMPT_SUBMIT, "ref": 6})
    assert (again["type"], again["attempt"], again["status"]) == (Msg.ATTEMPT_CLOSED, attempt_id, "submitted")
    await ws.disconnect()

    # REST says the same words.
    resp = await rest_save(student, attempt_id, v.pk, {"choice": "a"})
    assert (resp.status_code, resp.json()["error"]["code"]) == (409, "attempt_closed")
    resp = await rest_submit(student, attempt_id)
    assert (resp.status_code, resp.json()["status"]) == (200, "submitted")


async def test_late_while_open_then_attempt_closed_once_the_clock_closed_it_on_both_transports(setup):
    r, student = setup
    start = timezone.now() - datetime.timedelta(seconds=900.5)  # deadline 0.5 s ago: inside the grace
    attempt = await database_sync_to_async(services.attempt_start)(user=student, round_=r, now=start)
    v = (await database_sync_to_async(versions_of)(attempt))[0]
    response = cf.correct_response(v)
    ws = await connect(f"/ws/contest/rounds/{r.pk}/", student)
    assert (await ws.receive_json_from(timeout=5))["attempt"]["id"] == attempt.pk
    await asyncio.sleep(1.6)  # now past deadline + 2 s; the clock has not closed it yet

    save = await ws_request(ws, {"type": Msg.ANSWER_SAVE, "ref": 1, "question": v.pk, "response": response})
    assert save["code"] == "late"
    resp = await rest_save(student, attempt.pk, v.pk, response)
    assert resp.json()["error"]["code"] == "late"

    assert await database_sync_to_async(services.attempts_close_due)() == 1  # the clock's tick
    closed = await ws.receive_json_from(timeout=5)
    assert (closed["type"], closed["status"]) == (Msg.ATTEMPT_CLOSED, "expired")
    save = await ws_request(ws, {"type": Msg.ANSWER_SAVE, "ref": 2, "question": v.pk, "response": response})
    assert save["code"] == "attempt_closed"
    resp = await rest_save(student, attempt.pk, v.pk, response)
    assert resp.json()["error"]["code"] == "attempt_closed"
    again = await ws_request(ws, {"type": Msg.ATTEMPT_SUBMIT, "ref": 3})
    assert (again["type"], again["status"]) == (Msg.ATTEMPT_CLOSED, "expired")
    assert not await database_sync_to_async(Answer.objects.exists)()
    await ws.disconnect()


async def test_with_the_clock_dead_a_pupil_coming_back_after_the_deadline_finds_the_attempt_closed(setup):
    """No clock ran: the overdue attempt is closed as expired when the pupil's socket opens,
    and the socket says so in the same words as after a close by the clock."""
    r, student = setup
    start = timezone.now() - datetime.timedelta(seconds=905)  # deadline + grace passed 3 s ago
    attempt = await database_sync_to_async(services.attempt_start)(user=student, round_=r, now=start)
    v = (await database_sync_to_async(versions_of)(attempt))[0]
    ws = await connect(f"/ws/contest/rounds/{r.pk}/", student)
    assert (await ws.receive_json_from(timeout=5))["attempt"] is None
    await attempt.arefresh_from_db()
    assert attempt.status == "expired"
    save = await ws_request(ws, {"type": Msg.ANSWER_SAVE, "ref": 1, "question": v.pk, "response": {"choice": "a"}})
    assert save["code"] == "attempt_closed"
    again = await ws_request(ws, {"type": Msg.ATTEMPT_SUBMIT, "ref": 2})
    assert (again["type"], again["attempt"], again["status"]) == (Msg.ATTEMPT_CLOSED, attempt.pk, "expired")
    await ws.disconnect()
