"""Acknowledged means committed, even when the worker dies: a real Daphne process takes a
burst of saves over a websocket, is killed with SIGKILL right after the first
acknowledgements, and every acknowledged answer is in the database."""

import json
import os
import signal

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from websockets.sync.client import connect

from contest import services
from contest.models import Answer, AnswerLog
from tests.contest import factories as cf
from tests.contest.helpers import versions_of
from tests.support.server import start_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def session_cookie(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"sessionid={store.session_key}"


def test_a_killed_worker_loses_no_acknowledged_answer(tmp_path):
    w = cf.world(students=1)
    r = cf.round_(w, n_questions=30)
    student = w.students[0]
    attempt = services.attempt_start(user=student, round_=r)
    versions = versions_of(attempt)
    server = start_server(tmp_path)
    try:
        with connect(
            f"{server.ws_url}/ws/contest/rounds/{r.pk}/",
            additional_headers={"Cookie": session_cookie(student), "Origin": server.url},
            open_timeout=10,
        ) as ws:
            assert json.loads(ws.recv(timeout=10))["attempt"]["id"] == attempt.pk
            sent = {}
            for i, v in enumerate(versions):  # a burst: every question, without waiting
                sent[i] = (v.pk, cf.correct_response(v) if i % 2 else cf.wrong_response(v))
                ws.send(json.dumps({"type": "answer.save", "ref": i, "question": v.pk, "response": sent[i][1]}))
            acked = []
            while len(acked) < 10:
                msg = json.loads(ws.recv(timeout=10))
                assert msg["type"] == "answer.saved", msg
                acked.append(msg["ref"])
            os.kill(server.process.pid, signal.SIGKILL)  # no shutdown, no flush: the process is gone
            server.process.wait(10)
    finally:
        server.stop()
    stored = {a.question_version_id: a.response for a in Answer.objects.filter(attempt=attempt)}
    for ref in acked:
        version_id, response = sent[ref]
        assert stored.get(version_id) == response, f"acknowledged save {ref} was lost"
        assert AnswerLog.objects.filter(attempt=attempt, question_version_id=version_id).exists()
    assert len(stored) >= len(acked)
