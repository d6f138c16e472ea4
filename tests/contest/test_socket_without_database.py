"""PostgreSQL down under a live round socket: every request is answered with a documented,
retryable ``error`` event and the socket stays open; once the database is back the same
socket goes on (issue 17, item 4: ``attempt.start``/``attempt.submit`` used to close it
with 1011).

A real Daphne process on a PostgreSQL of its own (``tests.support.services``) that the test
stops and starts again; the machine's shared PostgreSQL is never touched.
"""

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from core.realtime.protocol import CLOSE_TRY_AGAIN_LATER, Msg
from tests.support.server import ROOT, start_server
from tests.support.services import postgres_bin_dir, throwaway_postgres

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(postgres_bin_dir() is None, reason="PostgreSQL server binaries are not installed"),
]

SEED = textwrap.dedent(
    """
    import json
    import django

    django.setup()
    from tests.contest import factories as cf
    from tests.contest.test_killed_worker import session_cookie

    w = cf.world(students=1)
    r = cf.round_(w, n_questions=3)
    print(json.dumps({"round": r.pk, "cookie": session_cookie(w.students[0])}))
    """
)


def manage_env(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "tests-only-secret-key",
        "DEBUG": "0",
        "REDIS_URL": "",
    }


@pytest.fixture(scope="module")
def pg_server(django_db_setup, django_db_blocker, tmp_path_factory):
    with throwaway_postgres() as pg:
        env = manage_env(pg.url)
        py = sys.executable
        subprocess.run([py, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
        seeded = subprocess.run([py, "-c", SEED], cwd=ROOT, env=env, check=True, timeout=120, capture_output=True)
        data = json.loads(seeded.stdout.decode().strip().splitlines()[-1])
        with django_db_blocker.unblock():
            server = start_server(tmp_path_factory.mktemp("no-db"), extra_env={"DATABASE_URL": pg.url})
        try:
            yield pg, server, data
        finally:
            server.stop()


def request(ws, content: dict) -> dict:
    ws.send(json.dumps(content))
    return json.loads(ws.recv(timeout=20))


def until_answered(ws, body: dict, seconds: float = 30) -> dict:
    """Send again while the answer is a retryable error, as the page does: the pool takes its
    connections back with a back-off of its own once the database is up."""
    deadline = time.monotonic() + seconds
    reply = request(ws, body)
    while reply["type"] == Msg.ERROR and reply.get("retryable") and time.monotonic() < deadline:
        time.sleep(0.5)
        reply = request(ws, body)
    return reply


def test_a_database_outage_is_answered_on_the_socket_which_stays_open(pg_server):
    pg, server, data = pg_server
    headers = {"Origin": server.url, "Cookie": data["cookie"]}
    with connect(f"{server.ws_url}/ws/contest/rounds/{data['round']}/", additional_headers=headers) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == Msg.ROUND_SNAPSHOT
        pg.stop()
        try:
            for ref in ("start-1", "start-2"):  # the socket is still open after the first refusal
                error = request(ws, {"type": Msg.ATTEMPT_START, "ref": ref})
                assert (error["type"], error["code"], error["ref"], error["retryable"]) == (
                    Msg.ERROR,
                    "unavailable",
                    ref,
                    True,
                ), error
                assert error["message"]
        finally:
            pg.start()
        snap = until_answered(ws, {"type": Msg.ATTEMPT_START, "ref": "start-3"})  # the same socket, once it is back
        assert snap["type"] == Msg.ROUND_SNAPSHOT and snap["attempt"]["status"] == "in_progress", snap

        pg.stop()
        try:
            error = request(ws, {"type": Msg.ATTEMPT_SUBMIT, "ref": "submit-1"})
            assert (error["code"], error["retryable"]) == ("unavailable", True), error
            question = snap["attempt"]["questions"][0]["id"]
            error = request(ws, {"type": Msg.ANSWER_SAVE, "ref": "save", "question": question, "response": {}})
            assert error["type"] == Msg.ERROR and error["retryable"] is True, error
        finally:
            pg.start()
        closed = until_answered(ws, {"type": Msg.ATTEMPT_SUBMIT, "ref": "submit-2"})
        assert (closed["type"], closed.get("status"), closed["ref"]) == (Msg.ATTEMPT_CLOSED, "submitted", "submit-2")
    assert "unexpected error" not in server.log(), server.log()[-3000:]  # outages are not bugs


@pytest.mark.parametrize("path", ["/ws/contest/rounds/{round}/", "/ws/leaderboard/rounds/{round}/"])
def test_a_socket_opened_while_the_database_is_down_is_answered_and_closed_4503(pg_server, path):
    """Issue 13: the handshake's session read used to wait for the pool's 10 s, past Daphne's
    5 s handshake timeout, so the socket was dropped without a word. Now it waits
    ``SOCKET_HANDSHAKE_DB_TIMEOUT_S`` and answers ``unavailable`` (retryable), then 4503."""
    pg, server, data = pg_server
    headers = {"Origin": server.url, "Cookie": data["cookie"]}
    url = server.ws_url + path.format(round=data["round"])
    pg.stop()
    try:
        for _ in range(2):  # the second one too: the pool's failed connects do not stall it
            started = time.monotonic()
            with connect(url, additional_headers=headers, open_timeout=10) as ws:
                error = json.loads(ws.recv(timeout=10))
                assert (error["type"], error["code"], error["retryable"]) == (Msg.ERROR, "unavailable", True), error
                assert error["message"]
                with pytest.raises(ConnectionClosed) as closed:
                    ws.recv(timeout=10)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_TRY_AGAIN_LATER
            assert time.monotonic() - started < 5  # Daphne's handshake timeout
    finally:
        pg.start()
    with connect(url, additional_headers=headers, open_timeout=20) as ws:  # and once it is back
        deadline = time.monotonic() + 30
        first = json.loads(ws.recv(timeout=20))
        while first["type"] == Msg.ERROR and time.monotonic() < deadline:  # the pool reconnects with back-off
            ws.close()
            time.sleep(0.5)
            ws = connect(url, additional_headers=headers, open_timeout=20)
            first = json.loads(ws.recv(timeout=20))
        assert first["type"] in {Msg.ROUND_SNAPSHOT, Msg.BOARD_SNAPSHOT}, first
        ws.close()
    assert "unexpected error" not in server.log(), server.log()[-3000:]
