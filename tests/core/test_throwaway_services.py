"""The throwaway services that fault tests use: they start, stop and come back on their own
ports, so a test can take them away without touching the machine's shared servers."""

import psycopg
import pytest
import redis

from tests.support.services import postgres_bin_dir, redis_server_path, throwaway_postgres, throwaway_redis

pytestmark = pytest.mark.slow


@pytest.mark.skipif(postgres_bin_dir() is None, reason="PostgreSQL server binaries are not installed")
def test_throwaway_postgres_stops_and_comes_back():
    with throwaway_postgres() as pg:
        assert pg.port != 5432
        with psycopg.connect(pg.url) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        pg.stop()
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(pg.url, connect_timeout=2)
        pg.start()
        with psycopg.connect(pg.url) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("hts",)
            assert pg.backends() == 1


@pytest.mark.skipif(redis_server_path() is None, reason="redis-server is not installed")
def test_throwaway_redis_stops_and_comes_back_empty():
    with throwaway_redis() as r:
        assert r.port != 6379
        client = redis.Redis(port=r.port)
        client.set("k", "v")
        r.stop()
        assert not r.ping()
        r.start()
        assert r.ping()
        assert redis.Redis(port=r.port).get("k") is None
