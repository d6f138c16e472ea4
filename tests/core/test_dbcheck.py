"""core.dbcheck: the pool lends a quiet idle connection without a round trip, and still
refuses one whose server ended it (a restart, a terminated backend).

Real PostgreSQL connections of the test's own; the server's view of each backend
(``pg_stat_activity.query``, its last statement) tells whether the check sent a query.
"""

import select
import time

import psycopg
import pytest
from django.db import connection

from core import dbcheck
from tests.support.server import database_url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def url():
    if connection.vendor != "postgresql":
        pytest.skip("the connection pool is PostgreSQL's (set DATABASE_URL)")
    return database_url().replace("postgres://", "postgresql://", 1)


def last_query(url: str, pid: int) -> str:
    with psycopg.connect(url, autocommit=True) as other:
        return other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0]


def test_a_quiet_idle_connection_is_lent_without_a_query(url):
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT 1 AS before_the_check")
        dbcheck.check_connection(conn)
        assert last_query(url, conn.info.backend_pid) == "SELECT 1 AS before_the_check"
        dbcheck._psycopg_check(conn)  # psycopg's own check: an empty query, one round trip
        assert last_query(url, conn.info.backend_pid) == ""


def test_a_connection_whose_server_ended_it_is_refused(url):
    with psycopg.connect(url, autocommit=True) as conn:
        pid = conn.info.backend_pid
        with psycopg.connect(url, autocommit=True) as other:
            assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
        deadline = time.monotonic() + 10
        while not select.select([conn.fileno()], [], [], 0.1)[0] and time.monotonic() < deadline:
            pass  # the server's goodbye is on its way
        with pytest.raises(psycopg.OperationalError):
            dbcheck.check_connection(conn)


def test_the_pool_django_makes_uses_it(url):
    pool = connection.pool
    if pool is None:
        pytest.skip("DB_POOL_MAX=0: no pool")
    assert pool._check is dbcheck.check_connection
