"""/metrics answers operators only and tells the project's own figures; every log line and
response carries the request's id."""

import datetime
import json
import logging

import pytest
from django.test import override_settings
from django.utils import timezone

from config.env import env_networks
from contest import services
from contest.models import Attempt
from core.logs import JsonFormatter, RequestIdAsgiMiddleware, RequestIdFilter, request_id
from tests.contest import factories as cf

pytestmark = pytest.mark.django_db


def metrics(client, **extra):
    return client.get("/metrics", **extra)


def test_metrics_answer_loopback_and_the_token_only(client):
    assert metrics(client, REMOTE_ADDR="127.0.0.1").status_code == 200
    assert metrics(client, REMOTE_ADDR="203.0.113.7").status_code == 404
    with override_settings(METRICS_TOKEN="s3cret-token", METRICS_ALLOWED=env_networks("X", ["10.0.0.0/8"])):
        assert metrics(client, REMOTE_ADDR="127.0.0.1").status_code == 404
        assert metrics(client, REMOTE_ADDR="10.1.2.3").status_code == 200
        ok = metrics(client, REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer s3cret-token")
        assert ok.status_code == 200
        bad = metrics(client, REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer guess")
        assert bad.status_code == 404


def test_metrics_carry_requests_and_the_clock_lag(client):
    w = cf.world(students=1)
    r = cf.round_(w, n_questions=2)
    attempt = services.attempt_start(user=w.students[0], round_=r)
    body = metrics(client, REMOTE_ADDR="127.0.0.1").content.decode()
    assert "hts_clock_lag_seconds 0.0" in body
    assert "hts_live_games_running 0.0" in body
    # The clock is dead: the attempt is a minute past its deadline and still running.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    body = metrics(client, REMOTE_ADDR="127.0.0.1").content.decode()
    lag = next(float(line.split()[1]) for line in body.splitlines() if line.startswith("hts_clock_lag_seconds "))
    assert 59 < lag < 120
    assert "django_http_requests_total_by_method_total" in body


def test_responses_carry_the_request_id(client):
    resp = client.get("/healthz")
    assert len(resp["X-Request-ID"]) == 16
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-abc.123")["X-Request-ID"] == "nginx-abc.123"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert forged != "<script>"
    assert len(forged) == 16


def test_log_lines_are_one_json_object_with_the_request_id():
    token = request_id.set("req-42")
    try:
        record = logging.LogRecord("hts", logging.WARNING, __file__, 1, "Lưu bài %s", ("lỗi",), None)
        RequestIdFilter().filter(record)
        line = JsonFormatter().format(record)
    finally:
        request_id.reset(token)
    assert "\n" not in line
    data = json.loads(line)
    assert data["request_id"] == "req-42"
    assert data["message"] == "Lưu bài lỗi"
    assert data["level"] == "WARNING"


async def test_a_websocket_keeps_its_request_id_for_its_life():
    seen = []

    async def app(scope, receive, send):
        seen.append((scope["request_id"], request_id.get()))

    wrapped = RequestIdAsgiMiddleware(app)
    await wrapped({"type": "websocket", "headers": [(b"x-request-id", b"proxy-7")]}, None, None)
    await wrapped({"type": "websocket", "headers": []}, None, None)
    assert seen[0] == ("proxy-7", "proxy-7")
    assert seen[1][0] == seen[1][1] != "proxy-7"


def test_metrics_through_the_proxy_follow_the_real_client(client):
    with override_settings(TRUSTED_PROXIES=("127.0.0.1",)):
        outside = metrics(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
        inside = metrics(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert outside.status_code == 404
    assert inside.status_code == 200


@pytest.mark.django_db(transaction=True)  # the batcher writes on a thread of its own
async def test_sockets_answers_and_batches_are_counted():
    """A real consumer and the real batcher move the project's own instruments."""
    from channels.db import database_sync_to_async
    from channels.testing import WebsocketCommunicator
    from prometheus_client import REGISTRY

    from config.asgi import application
    from contest.services import attempt_start
    from tests.contest.helpers import versions_of

    def value(name, **labels):
        return REGISTRY.get_sample_value(name, labels) or 0.0

    w = await database_sync_to_async(cf.world)(students=1)
    r = await database_sync_to_async(cf.round_)(w, n_questions=2)
    pupil = w.students[0]
    attempt = await database_sync_to_async(attempt_start)(user=pupil, round_=r)
    version = (await database_sync_to_async(versions_of)(attempt))[0]
    sockets = value("hts_open_sockets", endpoint="RoundConsumer")
    acks = value("hts_answers_acknowledged_total", mode="window")
    batches = value("hts_batch_size_count", writer="AnswerBatcher")

    comm = WebsocketCommunicator(application, f"/ws/contest/rounds/{r.pk}/", headers=[(b"origin", b"http://127.0.0.1")])
    comm.scope["user"] = pupil
    connected, _ = await comm.connect()
    assert connected
    await comm.receive_json_from(timeout=10)
    assert value("hts_open_sockets", endpoint="RoundConsumer") == sockets + 1
    response = await database_sync_to_async(cf.correct_response)(version)
    await comm.send_json_to({"type": "answer.save", "ref": 1, "question": version.pk, "response": response})
    reply = await comm.receive_json_from(timeout=10)
    assert reply["type"] == "answer.saved", reply
    assert value("hts_answers_acknowledged_total", mode="window") == acks + 1
    assert value("hts_batch_size_count", writer="AnswerBatcher") >= batches + 1
    await comm.disconnect()
    assert value("hts_open_sockets", endpoint="RoundConsumer") == sockets
    from contest.writepath import batcher

    batcher.close_connection()
