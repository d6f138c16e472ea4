""" "Đóng vòng ngay": the organiser closes an open round now; running attempts end at once with
their saved answers, the round is finalized on the clock's path, the pupils' sockets are told."""

import datetime

import pytest
from channels.db import database_sync_to_async
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contest import services
from contest.models import Attempt, Round
from core.errors import Conflict
from core.realtime.protocol import Msg
from tests.contest import factories as cf
from tests.contest.helpers import take, versions_of
from tests.contest.test_api import client_for


def _answer(user, attempt, correct: int, at):
    for i, version in enumerate(versions_of(attempt)[:correct]):
        services.answer_save(
            user=user, attempt_id=attempt.pk, version_id=version.pk, response=cf.correct_response(version),
            received_at=at + datetime.timedelta(seconds=1 + i),
        )  # fmt: skip


@pytest.mark.django_db
def test_close_now_ends_running_attempts_with_what_was_saved_and_finalizes(w):
    r = cf.round_(w, duration_s=30 * 60)
    start = timezone.now() - datetime.timedelta(minutes=5)
    done = take(w.students[0], r, correct=4, at=start)
    running = services.attempt_start(user=w.students[1], round_=r, now=start)
    _answer(w.students[1], running, 2, start)
    now = timezone.now()

    result = services.round_close_now(round_id=r.pk, now=now)

    assert result.attempts_ended == 1
    r.refresh_from_db()
    assert r.closes_at == now and r.finalized_at == now and r.state(now) == "finalized"
    running.refresh_from_db()
    assert running.status == "expired"
    assert running.submitted_at == now and running.closed_at == now  # ended now, not at its later deadline
    assert running.time_used_ms == int((now - start).total_seconds() * 1000)
    assert running.answered_count == 2 and running.score == 20
    done.refresh_from_db()
    assert [a.rank for a in (done, running)] == [1, 2] and done.counted and running.counted
    # Nobody starts a new attempt in a closed round.
    with pytest.raises(Conflict):
        services.attempt_start(user=w.students[1], round_=r)


@pytest.mark.django_db
def test_an_attempt_past_its_deadline_ends_at_its_deadline(w):
    r = cf.round_(w, duration_s=60)
    start = timezone.now() - datetime.timedelta(minutes=10)
    late = services.attempt_start(user=w.students[0], round_=r, now=start)  # the clock has not closed it yet
    services.round_close_now(round_id=r.pk)
    late.refresh_from_db()
    assert late.status == "expired" and late.submitted_at == late.deadline and late.time_used_ms == 60_000


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["closed", "finalized", "not_open", "live"])
def test_refused_where_there_is_nothing_to_close_and_nothing_changes(w, case):
    now = timezone.now()
    if case == "live":
        r = cf.round_(w, mode="live", opens_at=None, closes_at=None)
    elif case == "not_open":
        r = cf.round_(w, opens_at=now + datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=1))
    else:
        r = cf.round_(w)
        Round.objects.filter(pk=r.pk).update(closes_at=now - datetime.timedelta(minutes=1))
        if case == "finalized":
            services.round_finalize(round_id=r.pk)
    before = Round.objects.values().get(pk=r.pk)
    with pytest.raises(Conflict) as exc:
        services.round_close_now(round_id=r.pk, now=now)
    assert (
        exc.value.code
        == {"closed": "closed", "finalized": "closed", "not_open": "not_open", "live": "wrong_mode"}[case]
    )
    assert Round.objects.values().get(pk=r.pk) == before


@pytest.mark.django_db
def test_closing_is_batched_not_one_attempt_at_a_time(w):
    """The queries of a close do not grow with the number of running attempts."""

    def queries_to_close(n: int) -> int:
        r = cf.round_(w)
        users = [cf.sf.student(w.school, w.klass, username=f"batch{n}-{i}").user for i in range(n)]
        for u in users:
            services.attempt_start(user=u, round_=r)
        with CaptureQueriesContext(connection) as ctx:
            assert services.round_close_now(round_id=r.pk).attempts_ended == n
        assert Attempt.objects.filter(round=r, status="expired").count() == n
        return len(ctx.captured_queries)

    assert queries_to_close(3) == queries_to_close(25)


@pytest.mark.django_db
def test_api_closes_once_then_refuses_with_a_translated_message(w):
    r = cf.round_(w)
    services.attempt_start(user=w.students[0], round_=r)
    api = client_for(w.organiser)
    resp = api.post(f"/api/contest/manage/rounds/{r.pk}/close/")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["round"] == r.pk and body["attempts_ended"] == 1 and body["finalized_at"]
    again = api.post(f"/api/contest/manage/rounds/{r.pk}/close/")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "closed" and again.json()["error"]["message"] == "Vòng thi đã đóng."
    english = api.post(f"/api/contest/manage/rounds/{r.pk}/close/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["error"]["message"] == "The round has closed."


@pytest.mark.django_db
def test_a_pupil_may_not_close_a_round(w):
    r = cf.round_(w)
    resp = client_for(w.students[0]).post(f"/api/contest/manage/rounds/{r.pk}/close/")
    assert resp.status_code in (403, 404)
    r.refresh_from_db()
    assert r.finalized_at is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_batcher_connection")
async def test_the_pupils_socket_hears_the_round_closed_and_gets_its_result_url():
    from tests.contest.test_consumers import connect, with_cookies

    def setup():
        w = cf.world(students=2)
        r = cf.round_(w)
        with_cookies(*w.students)
        attempt = services.attempt_start(user=w.students[0], round_=r)
        return w, r, attempt

    w, r, attempt = await database_sync_to_async(setup)()
    taking = await connect(f"/ws/contest/rounds/{r.pk}/", w.students[0])
    await taking.receive_json_from(timeout=5)
    watching = await connect(f"/ws/contest/rounds/{r.pk}/", w.students[1])  # on the round, no attempt
    await watching.receive_json_from(timeout=5)

    await database_sync_to_async(services.round_close_now)(round_id=r.pk)

    msg = await taking.receive_json_from(timeout=5)
    assert msg["type"] == Msg.ROUND_CLOSED and msg["round"] == r.pk and msg["attempt"] == attempt.pk
    assert msg["result_url"] == f"/contest/attempts/{attempt.pk}/result/"
    other = await watching.receive_json_from(timeout=5)
    assert other["type"] == Msg.ROUND_CLOSED and other["attempt"] is None and other["result_url"] is None
    # The attempt has ended for this socket too: a later save answers attempt_closed.
    await taking.send_json_to({"type": Msg.ANSWER_SAVE, "ref": 1, "question": 1, "response": {}})
    assert (await taking.receive_json_from(timeout=5))["code"] == "attempt_closed"
    await taking.disconnect()
    await watching.disconnect()
    await database_sync_to_async(connections.close_all)()
