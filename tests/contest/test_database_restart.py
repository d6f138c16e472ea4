"""The answer writers come back with the database: PostgreSQL is restarted under a live Daphne
whose pupils keep their sockets, and the first save of each pupil afterwards is stored and
acknowledged (no ``save_failed``).

Before, each group-commit writer thread kept its connection for the life of the process and
dropped it only after a batch had failed on it: every pupil in the first batches after the
restart was told ``save_failed``. The database here is a throwaway PostgreSQL of the test's own,
migrated and seeded by a child process (``bench/answers.py``'s seed, through the services),
so it can be restarted without touching the machine's shared server.
"""

import asyncio
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import websockets

from tests.support.server import ROOT, start_server
from tests.support.services import postgres_bin_dir, throwaway_postgres

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,  # start_server reads the test database's URL (replaced here)
    pytest.mark.skipif(postgres_bin_dir() is None, reason="PostgreSQL server binaries are not installed"),
]

PUPILS = 20
SEED = """
import json, sys
sys.path.insert(0, "bench")
import answers
answers.setup_django({})
print("SEEDED " + json.dumps(answers.seed(int(sys.argv[1]), 4, sys.argv[2])))
"""


def seed(url: str, pupils: int) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "tests-only-secret-key",
        "DEBUG": "0",
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
    }
    out = subprocess.run(
        [sys.executable, "-c", SEED, str(pupils), secrets.token_hex(3)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    line = next(line for line in out.stdout.splitlines() if line.startswith("SEEDED "))
    return json.loads(line.removeprefix("SEEDED "))


@pytest.fixture(scope="module")
def database():
    with throwaway_postgres() as pg:
        yield pg, seed(pg.url, 2 * PUPILS)


class Pupil:
    def __init__(self, ws):
        self.ws = ws
        self.questions: list[dict] = []

    async def request(self, body: dict, want: str) -> dict:
        await self.ws.send(json.dumps(body))
        async with asyncio.timeout(30):
            while True:
                msg = json.loads(await self.ws.recv())
                if msg["type"] in (want, "error"):
                    return msg

    async def save(self, n: int) -> dict:
        q = self.questions[n]
        choice = q["choices"][0]["id"]
        body = {"type": "answer.save", "ref": n, "question": q["id"], "response": {"choice": choice}}
        return await self.request(body, "answer.saved")


async def open_pupils(server, round_id: int, cookies: list[str]) -> list[Pupil]:
    async def one(cookie):
        ws = await websockets.connect(
            f"{server.ws_url}/ws/contest/rounds/{round_id}/",
            origin=server.url,
            additional_headers={"Cookie": f"sessionid={cookie}"},
            compression=None,
            open_timeout=20,
        )
        pupil = Pupil(ws)
        assert json.loads(await ws.recv())["type"] == "round.snapshot"
        snapshot = await pupil.request({"type": "attempt.start", "ref": "s"}, "round.snapshot")
        assert snapshot["type"] == "round.snapshot", snapshot
        pupil.questions = snapshot["attempt"]["questions"]
        return pupil

    return list(await asyncio.gather(*[one(c) for c in cookies]))


def stored_answers(url: str, attempt_round: int) -> int:
    with psycopg.connect(url) as conn:
        sql = (
            "SELECT count(*) FROM contest_answer a JOIN contest_attempt t ON t.id = a.attempt_id WHERE t.round_id = %s"
        )
        return conn.execute(sql, [attempt_round]).fetchone()[0]


@pytest.mark.parametrize("pool_max", ["4", "0"], ids=["pooled", "unpooled"])
def test_first_saves_after_a_database_restart_are_stored(database, pool_max, tmp_path: Path):
    pg, data = database
    half = slice(0, PUPILS) if pool_max != "0" else slice(PUPILS, 2 * PUPILS)
    stored_before = stored_answers(pg.url, data["round"])
    server = start_server(tmp_path, extra_env={"DATABASE_URL": pg.url, "DB_POOL_MAX": pool_max, "DB_POOL_MIN": "1"})

    async def run():
        pupils = await open_pupils(server, data["round"], data["cookies"][half])
        try:
            before = await asyncio.gather(*[p.save(0) for p in pupils])
            assert [m["type"] for m in before] == ["answer.saved"] * PUPILS, before
            pg.stop()  # every connection the worker holds or pools dies with the server
            pg.start()
            after = await asyncio.gather(*[p.save(1) for p in pupils])
        finally:
            await asyncio.gather(*[p.ws.close() for p in pupils])
        return after

    try:
        after = asyncio.run(run())
    finally:
        server.stop()
    failed = [m for m in after if m["type"] != "answer.saved"]
    assert not failed, f"{len(failed)} of {PUPILS} saves after the restart failed: {failed[:3]}"
    # Acknowledged means stored: both saves of every pupil of this run are in the database.
    assert stored_answers(pg.url, data["round"]) - stored_before == 2 * PUPILS


def test_healthz_answers_503_promptly_while_the_database_is_down(database, tmp_path: Path):
    """A load balancer must hear "down" within its own timeout, not after the pool's: the
    database check gives up after its 3 s, whatever the threads waiting for connections do."""
    import time
    import urllib.error
    import urllib.request

    pg, _data = database
    server = start_server(tmp_path, extra_env={"DATABASE_URL": pg.url, "DB_POOL_MAX": "4", "DB_POOL_TIMEOUT_S": "60"})

    def healthz() -> tuple[int, float]:
        began = time.monotonic()
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=45) as resp:  # noqa: S310 - loopback
                return resp.status, time.monotonic() - began
        except urllib.error.HTTPError as exc:
            return exc.code, time.monotonic() - began

    try:
        assert healthz()[0] == 200
        pg.stop("immediate")
        try:
            answers = [healthz() for _ in range(3)]
        finally:
            pg.start()
        assert [status for status, _took in answers] == [503, 503, 503]
        # Each after the check's own 3 s (far from the pool's 60 s, whatever the machine's load).
        assert all(took < 30 for _status, took in answers), answers
        deadline = time.monotonic() + 20
        while healthz()[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert healthz()[0] == 200
    finally:
        server.stop()
