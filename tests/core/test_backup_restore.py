"""A backup restores into an empty database, and every published ranking recomputed there
from the stored rows (after re-scoring each round) is the one that was published."""

import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.db import connection

from tests.security.world import side
from tests.support.server import ROOT, database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def manage(db_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", "DATABASE_URL": db_url}
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a new, empty database of the same kind as the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    source = database_url()
    name = f"hts_restore_{uuid.uuid4().hex[:8]}"
    admin = source.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield source.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restore_reproduces_every_published_ranking(tmp_path, empty_database):
    side("A", "86")  # a finalized round, attempts and a published ranking, through the services
    dump = tmp_path / "hoithiso.backup"
    made = manage(database_url(), "backup", str(dump))
    assert made.returncode == 0, made.stderr
    assert dump.stat().st_size > 0

    restored = manage(empty_database, "restore", str(dump))
    assert restored.returncode == 0, restored.stderr
    again = manage(empty_database, "restore", str(dump))
    assert again.returncode != 0
    assert "not empty" in again.stderr

    checked = manage(empty_database, "check_publications", "--rescore")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "1 publications checked, 0 differ" in checked.stdout

    # The check can tell: a published rank changed in the restored copy is reported.
    tamper = "UPDATE leaderboard_publishedrow SET rank = rank + 5"
    if connection.vendor == "sqlite":
        import sqlite3

        with sqlite3.connect(empty_database.removeprefix("sqlite:///")) as db:
            db.execute(tamper)
    else:
        with psycopg.connect(empty_database, autocommit=True) as conn:
            conn.execute(tamper)
    differs = manage(empty_database, "check_publications")
    assert differs.returncode != 0
    assert "1 publications checked, 1 differ" in differs.stdout
