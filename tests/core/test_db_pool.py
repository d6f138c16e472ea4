"""Database connections are bounded per worker: a live Daphne on PostgreSQL takes 300 requests
at 30 at a time with no error, never holds more backends than ``DB_POOL_MAX``, and goes back
to ``DB_POOL_MIN`` when idle.

Before the pool, each request's thread kept a connection of its own (``CONN_MAX_AGE`` under
ASGI): one worker held dozens of backends after this load, and PostgreSQL refused the rest.
The worker's backends are told apart from everyone else's by their ``application_name``
(libpq's ``PGAPPNAME``), so the test runs on the suite's PostgreSQL as it is.
"""

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.contrib.auth.models import User
from django.db import connection
from rest_framework.authtoken.models import Token

from tests.support.server import database_url, start_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

POOL_MAX = 4
POOL_MIN = 1
REQUESTS = 300
CONCURRENCY = 30


class BackendSampler:
    """Counts, every few milliseconds, the backends whose application_name is ``app``."""

    def __init__(self, url: str, app: str):
        self.conn = psycopg.connect(url, autocommit=True)
        self.app = app
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def count(self) -> int:
        sql = "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
        return self.conn.execute(sql, [self.app]).fetchone()[0]

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.count())
            time.sleep(0.02)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)
        self.conn.close()


def get(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:  # noqa: S310 - loopback
            resp.read()
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_worker_holds_at_most_db_pool_max_backends_under_load(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the connection pool is PostgreSQL's (set DATABASE_URL)")
    user = User.objects.create_user(username="pool-probe", password="x")
    token = Token.objects.create(user=user).key
    app = f"hts-pool-test-{uuid.uuid4().hex[:8]}"
    server = start_server(
        tmp_path,
        extra_env={
            "PGAPPNAME": app,
            "DB_POOL_MAX": str(POOL_MAX),
            "DB_POOL_MIN": str(POOL_MIN),
            "DB_POOL_IDLE_S": "0.2",
            "THROTTLE_USER": "100000/min",
        },
    )
    try:
        with BackendSampler(database_url(), app) as sampler:
            urls = [f"{server.url}/api/me/" if i % 5 else f"{server.url}/healthz" for i in range(REQUESTS)]
            with ThreadPoolExecutor(CONCURRENCY) as pool:
                statuses = list(pool.map(lambda u: get(u, token), urls))
            peak_under_load = sampler.peak
            deadline = time.monotonic() + 20
            while sampler.count() > POOL_MIN and time.monotonic() < deadline:
                time.sleep(0.1)
            idle = sampler.count()
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=10) as resp:  # noqa: S310 - loopback
                health = json.loads(resp.read())
    finally:
        server.stop()
    errors = [s for s in statuses if s != 200]
    assert not errors, f"{len(errors)} of {REQUESTS} requests failed: {sorted(set(errors))}\n{server.log()[-3000:]}"
    assert 0 < peak_under_load <= POOL_MAX, f"{peak_under_load} backends for one worker, bound {POOL_MAX}"
    assert idle <= POOL_MIN, f"{idle} backends left after the load, idle bound {POOL_MIN}"
    assert health["checks"]["database"]["pool"]["max"] == POOL_MAX  # the bound, as /healthz shows it
