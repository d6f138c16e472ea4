"""Without Redis, pupils still connect, open rounds and save (socket and REST); what needs
Redis (fan-out between processes) waits for it and recovers without a restart.

A real Daphne process on the test database, with a Redis of its own that the test stops and
starts again (``tests.support.services``): the machine's shared Redis is never touched.
"""

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from rest_framework.authtoken.models import Token
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from contest import services
from contest.models import Answer, Attempt, AttemptStatus
from core.realtime.protocol import CLOSE_TRY_AGAIN_LATER, Msg
from tests.contest import factories as cf
from tests.contest.helpers import take, versions_of
from tests.contest.test_killed_worker import session_cookie
from tests.support.server import start_server
from tests.support.services import redis_server_path, throwaway_redis

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(redis_server_path() is None, reason="redis-server is not installed"),
]


@pytest.fixture(scope="module")
def redis_and_server(django_db_setup, django_db_blocker, tmp_path_factory):
    with throwaway_redis() as redis_server, django_db_blocker.unblock():
        server = start_server(
            tmp_path_factory.mktemp("no-redis"), extra_env={"REDIS_URL": redis_server.url, "REDIS_PREFIX": "hts-nr"}
        )
        try:
            yield redis_server, server
        finally:
            server.stop()


@pytest.fixture
def redis_down(redis_and_server):
    redis_server, server = redis_and_server
    redis_server.stop()
    try:
        yield server
    finally:
        if not redis_server.ping():
            redis_server.start()
        wait_healthy(server)


def wait_healthy(server, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if http(server, "GET", "/healthz")[0] == 200:
            return
        time.sleep(0.2)
    raise AssertionError(f"/healthz did not come back:\n{server.log()[-3000:]}")


def http(server, method: str, path: str, *, token: str | None = None, body: dict | None = None):
    """(status, content type, body text)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(server.url + path, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=20) as resp:  # noqa: S310 - loopback
            return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode()


def socket(server, path: str, user=None, *, cookie: str | None = None):
    headers = {"Origin": server.url}
    if user is not None or cookie is not None:
        headers["Cookie"] = cookie or session_cookie(user)
    return connect(f"{server.ws_url}{path}", additional_headers=headers, open_timeout=10)


def request(ws, content: dict) -> dict:
    ws.send(json.dumps(content))
    return json.loads(ws.recv(timeout=10))


def test_without_redis_pupils_connect_open_rounds_and_save_over_sockets(redis_down):
    server = redis_down
    w = cf.world(students=1)
    r = cf.round_(w, n_questions=3)
    socket_pupil = w.students[0]

    status, _type, body = http(server, "GET", "/healthz")
    assert status == 503, body  # Redis is down, and /healthz says so

    # Sign in on the page (sessions and CSRF live in the database and the cookie, not Redis).
    # Hashed as the server's settings can check (the tests' own hasher is a fast one).
    socket_pupil.password = PBKDF2PasswordHasher().encode("mat-khau-dai-2026", "saltsaltsalt", iterations=1000)
    socket_pupil.save(update_fields=["password"])
    jar = CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = browser.open(f"{server.url}/accounts/login/", timeout=20).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"username": socket_pupil.username, "password": "mat-khau-dai-2026", "csrfmiddlewaretoken": csrf}
    signed_in = browser.open(
        urllib.request.Request(  # noqa: S310 - loopback
            f"{server.url}/accounts/login/",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Referer": f"{server.url}/accounts/login/"},
        ),
        timeout=20,
    )
    assert "sessionid" in {c.name for c in jar}, re.findall(r"msg-error[^<]*>([^<]*)", signed_in.read().decode())
    round_page = browser.open(f"{server.url}/contest/rounds/{r.pk}/", timeout=20)
    assert round_page.status == 200 and r.name in round_page.read().decode()

    with socket(server, "/ws/time/") as ws:  # the handshake used to answer 500
        assert request(ws, {"type": Msg.PING, "id": 7})["id"] == 7

    session = "; ".join(f"{c.name}={c.value}" for c in jar)
    with socket(server, f"/ws/contest/rounds/{r.pk}/", cookie=session) as ws:  # as the page opens it
        assert json.loads(ws.recv(timeout=10))["type"] == Msg.ROUND_SNAPSHOT
        snap = request(ws, {"type": Msg.ATTEMPT_START, "ref": "s"})
        assert snap["type"] == Msg.ROUND_SNAPSHOT and snap["attempt"]["status"] == "in_progress", snap
        v = versions_of(Attempt.objects.get(pk=snap["attempt"]["id"]))[0]
        saved = request(ws, {"type": Msg.ANSWER_SAVE, "ref": 1, "question": v.pk, "response": cf.correct_response(v)})
        assert saved["type"] == Msg.ANSWER_SAVED, saved
        closed = request(ws, {"type": Msg.ATTEMPT_SUBMIT, "ref": 2})
        assert (closed["type"], closed["status"], closed["ref"]) == (Msg.ATTEMPT_CLOSED, "submitted", 2), closed

    assert "Traceback" not in server.log()


def test_without_redis_pupils_open_rounds_and_save_over_rest(redis_down):
    server = redis_down
    w = cf.world(students=1)
    r = cf.round_(w, n_questions=3)
    rest_pupil = w.students[0]
    token = Token.objects.create(user=rest_pupil).key
    status, ctype, body = http(server, "GET", f"/api/contest/rounds/{r.pk}/", token=token)
    assert status == 200 and ctype.startswith("application/json"), body
    attempt = services.attempt_start(user=rest_pupil, round_=r)
    v = versions_of(attempt)[0]
    status, _type, body = http(
        server,
        "PUT",
        f"/api/contest/attempts/{attempt.pk}/answers/{v.pk}/",
        token=token,
        body={"response": cf.correct_response(v)},
    )
    assert status == 200, body
    assert Answer.objects.filter(attempt=attempt).count() == 1
    status, _type, body = http(server, "POST", f"/api/contest/attempts/{attempt.pk}/submit/", token=token)
    assert status == 200 and json.loads(body)["status"] == "submitted", body
    assert Attempt.objects.filter(status=AttemptStatus.SUBMITTED).count() == 1


def test_every_api_error_is_json_even_without_redis(redis_down):
    server = redis_down
    for method, path in [("POST", "/api/auth/token/"), ("GET", "/api/no-such-thing/"), ("GET", "/api/me/")]:
        status, ctype, body = http(server, method, path, body={"username": "x", "password": "y"})
        assert ctype.startswith("application/json"), (path, status, body[:300])
        assert set(json.loads(body)["error"]) >= {"code", "message", "fields"}, (path, body)
    assert "Traceback" not in server.log()


def test_fan_out_between_processes_comes_back_by_itself(redis_and_server):
    """A socket opened while Redis was down follows its attempt's group once Redis is back:
    a submit elsewhere (over REST) reaches it through Redis, with no worker restarted."""
    redis_server, server = redis_and_server
    w = cf.world(students=1)
    r = cf.round_(w, n_questions=3)
    pupil = w.students[0]
    token = Token.objects.create(user=pupil).key
    attempt = services.attempt_start(user=pupil, round_=r)
    redis_server.stop()
    try:
        with socket(server, f"/ws/contest/rounds/{r.pk}/", pupil) as ws:
            assert json.loads(ws.recv(timeout=10))["attempt"]["id"] == attempt.pk
            redis_server.start()
            wait_healthy(server)
            status, _type, body = http(server, "POST", f"/api/contest/attempts/{attempt.pk}/submit/", token=token)
            assert status == 200, body
            closed = json.loads(ws.recv(timeout=10))  # sent through Redis to the attempt's group
            assert (closed["type"], closed["attempt"]) == (Msg.ATTEMPT_CLOSED, attempt.pk), closed
    finally:
        if not redis_server.ping():
            redis_server.start()


def board_total(server, round_id: int, token: str) -> int | None:
    status, _type, body = http(server, "GET", f"/api/leaderboard/rounds/{round_id}/board/", token=token)
    return json.loads(body)["total"] if status == 200 else None


def test_a_board_that_missed_updates_while_redis_was_down_is_rebuilt_by_itself(redis_and_server):
    """Redis is never the only copy: a pupil who submits while Redis is down is on the board
    once it is back, with no worker restarted and nothing run by hand."""
    redis_server, server = redis_and_server
    w = cf.world(students=2)
    r = cf.round_(w, n_questions=3)
    early, late = w.students
    organiser = Token.objects.create(user=w.organiser).key
    take(early, r, correct=2)
    assert board_total(server, r.pk, organiser) == 1  # the board is built in Redis, from the database

    # Redis goes away and comes back with its data (a snapshot on disk, as a persistent Redis
    # does; a network cut looks the same): the board it holds misses what happened meanwhile.
    redis.Redis(port=redis_server.port).save()
    redis_server.stop()
    try:
        with socket(server, f"/ws/contest/rounds/{r.pk}/", late) as ws:
            json.loads(ws.recv(timeout=10))
            snap = request(ws, {"type": Msg.ATTEMPT_START, "ref": "s"})
            v = versions_of(Attempt.objects.get(pk=snap["attempt"]["id"]))[0]
            response = cf.correct_response(v)
            assert request(ws, {"type": Msg.ANSWER_SAVE, "ref": 1, "question": v.pk, "response": response})["type"] == (
                Msg.ANSWER_SAVED
            )
            assert request(ws, {"type": Msg.ATTEMPT_SUBMIT, "ref": 2})["type"] == Msg.ATTEMPT_CLOSED
    finally:
        redis_server.start()
    wait_healthy(server)
    deadline = time.monotonic() + 15
    while board_total(server, r.pk, organiser) != 2 and time.monotonic() < deadline:
        time.sleep(0.3)
    assert board_total(server, r.pk, organiser) == 2, server.log()[-3000:]


def test_a_live_game_join_without_redis_is_answered_and_retried_once_it_is_back(redis_and_server):
    from tests.live.factories import World

    redis_server, server = redis_and_server
    game = World(questions=2).game()
    redis_server.stop()
    try:
        with socket(server, f"/ws/live/{game.pk}/play/") as ws:
            join = {"type": Msg.LIVE_JOIN, "pin": game.pin, "nickname": "Lan", "ref": 1}
            reply = request(ws, join)
            assert (reply["type"], reply["code"], reply["retryable"], reply["ref"]) == (
                Msg.ERROR,
                "unavailable",
                True,
                1,
            ), reply
            redis_server.start()
            wait_healthy(server)
            reply = request(ws, join)  # the page sends it again: the same socket joins
            assert reply["type"] == Msg.LIVE_JOINED, reply
    finally:
        if not redis_server.ping():
            redis_server.start()


def test_a_board_socket_without_redis_is_told_why_and_closed_to_try_again(redis_down):
    server = redis_down
    w = cf.world(students=1)
    r = cf.round_(w, n_questions=2)
    with socket(server, f"/ws/leaderboard/rounds/{r.pk}/", w.organiser) as ws:
        error = json.loads(ws.recv(timeout=10))
        assert (error["type"], error["code"], error["retryable"]) == (Msg.ERROR, "unavailable", True), error
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd.code == CLOSE_TRY_AGAIN_LATER  # the page reconnects with back-off
