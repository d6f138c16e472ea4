"""Websocket database work does not queue on one thread: while one pupil's round snapshot is
stuck in the database, another pupil's handshake completes and the clock socket answers.

Channels runs every ``database_sync_to_async`` call of a process on one thread, so after a
worker died, the handshakes and snapshots of all its pupils resuming on another worker waited
behind each other (and past Daphne's handshake timeout). Here the round table is locked from
outside, so the first snapshot blocks; on one thread, everything behind it would block too.
Ordering is checked, not time: each socket must open while the lock is still held.
"""

import asyncio
import json

import psycopg
import pytest
import websockets
from django.db import connection

from tests.contest import factories as cf
from tests.contest.test_killed_worker import session_cookie
from tests.support.server import database_url, start_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


async def open_socket(server, path: str, cookie: str | None = None):
    headers = {"Cookie": cookie} if cookie else {}
    return await websockets.connect(
        f"{server.ws_url}{path}", origin=server.url, additional_headers=headers, compression=None, open_timeout=30
    )


def test_a_stuck_snapshot_does_not_hold_up_other_sockets(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the table lock that holds a snapshot is PostgreSQL's")
    w = cf.world(students=2)
    r = cf.round_(w, n_questions=3)
    first, second = (session_cookie(s) for s in w.students)
    server = start_server(tmp_path)
    path = f"/ws/contest/rounds/{r.pk}/"
    locker = psycopg.connect(database_url())
    try:

        async def run():
            locker.execute("BEGIN")
            locker.execute("LOCK TABLE contest_round IN ACCESS EXCLUSIVE MODE")
            stuck = await open_socket(server, path, first)  # accepted; its snapshot waits on the lock
            stuck_snapshot = asyncio.ensure_future(stuck.recv())
            await asyncio.sleep(0.5)  # the snapshot query is now waiting for the lock
            assert not stuck_snapshot.done()
            other = await open_socket(server, path, second)  # its handshake reads the session and user
            clock = await open_socket(server, "/ws/time/")
            await clock.send(json.dumps({"type": "ping", "id": 1}))
            pong = json.loads(await asyncio.wait_for(clock.recv(), 30))
            still_locked = not stuck_snapshot.done()
            locker.execute("ROLLBACK")
            snapshot = json.loads(await asyncio.wait_for(stuck_snapshot, 30))
            for ws in (stuck, other, clock):
                await ws.close()
            return pong, still_locked, snapshot

        pong, still_locked, snapshot = asyncio.run(run())
    finally:
        locker.close()
        server.stop()
    assert pong["type"] == "pong" and pong["id"] == 1
    assert still_locked, "the other sockets were served only after the stuck snapshot"
    assert snapshot["type"] == "round.snapshot"
