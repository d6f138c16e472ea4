"""Board pushes share one read per group (issue 17, item 6): the sockets of a group in a
process get their slices from one ``board_payloads`` call, whose queries do not grow with the
number of sockets. Before, every socket read its own slice from the database on every push,
so a survivor taking a dead worker's board viewers spent its time on those reads."""

import asyncio
import datetime

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.realtime.protocol import Msg
from leaderboard import consumers, push
from leaderboard.selectors import Viewer, board_payload, board_payloads
from tests.leaderboard import factories as f
from tests.leaderboard.test_board_socket import build, connect, drain


@pytest.fixture(autouse=True)
def _fresh_coalescer():
    push.coalescer.cancel()
    push.coalescer._last.clear()
    yield
    push.coalescer.cancel()


def _more_pupils(d, n: int, start: int = 0) -> list:
    """``n`` pupils of the first student's class, who answered the round."""
    an = d["students"][0]
    out = []
    for i in range(start, start + n):
        s = f.pupil(an.school, an.school_class, f"Học Sinh {i}", username=f"hub{d['round'].pk}_{i}")
        f.attempt(d["round"], s, score=i % 7, time_s=200 + i, submitted=d["now"] - datetime.timedelta(minutes=20))
        out.append(s)
    return out


def _same(a: dict, b: dict) -> bool:
    return {**a, "server_now": 0} == {**b, "server_now": 0}


@pytest.mark.django_db(transaction=True)
def test_payloads_for_a_group_take_the_same_queries_for_2_and_12_viewers():
    d = build()
    pupils = _more_pupils(d, 12)
    r = d["round"]
    board_payload(pupils[0].user, round_=r)  # warm the board and the per-process round cache
    counts = []
    for n in (2, 12):
        # Fresh users, as sockets that just opened: their student rows are read too.
        viewers = [
            Viewer(type(s.user).objects.get(pk=s.user_id), "all" if k % 3 else "units:school")
            for k, s in enumerate(pupils[:n])
        ]
        with CaptureQueriesContext(connection) as ctx:
            payloads = board_payloads(viewers, round_=r, staff=False)
        counts.append(len(ctx.captured_queries))
        for viewer, payload in zip(viewers, payloads, strict=True):
            alone = board_payload(type(viewer.user).objects.get(pk=viewer.user.pk), round_=r, board=viewer.board)
            assert _same(payload, alone), (payload, alone)
        with CaptureQueriesContext(connection) as ctx:
            board_payloads(viewers, round_=r, staff=False)  # the next push: student rows kept
        counts.append(len(ctx.captured_queries))
    # First push of new sockets: the viewers' student rows (one query), the names on the rows
    # shown (one), the schools of the unit board (one). Later pushes: the names only.
    assert counts == [3, 2, 3, 2], counts


@pytest.mark.django_db(transaction=True)
async def test_a_push_to_12_sockets_is_one_read_as_for_2():
    d = await database_sync_to_async(build)()
    r = d["round"]
    pupils = await database_sync_to_async(_more_pupils)(d, 12)
    builds = []
    for n in (2, 12):
        comms = []
        for s in pupils[:n]:
            comm, ok, _ = await connect(s.user, r.pk)
            assert ok
            comms.append(comm)
        for comm in comms:
            assert (await comm.receive_json_from(timeout=5))["type"] == Msg.BOARD_SNAPSHOT
        # Quiet first: no trailing push of the set-up's changes left (with Redis the push
        # interval is claimed there for a second), and nothing unread on the sockets.
        push.coalescer.cancel()
        await asyncio.sleep(1.2)
        for comm in comms:
            await drain(comm, 0.1)
        hub = consumers.hubs[("round", r.pk, False)]
        before = hub.builds
        # A change on the board: one push to the group, one read for all its sockets here.
        leader = await database_sync_to_async(f.pupil)(d["students"][0].school, None, f"Dẫn Đầu {n}")
        submitted = timezone.now() - datetime.timedelta(minutes=1)
        await database_sync_to_async(f.attempt)(r, leader, score=99, time_s=10, submitted=submitted)
        for comm in comms:
            update = await comm.receive_json_from(timeout=5)
            assert update["type"] == Msg.BOARD_UPDATE and update["top"][0]["score"] == 99.0, update
            assert update["me"] is not None
        builds.append(hub.builds - before)
        for comm in comms:
            await comm.disconnect()
        push.coalescer.cancel()
        push.coalescer._last.clear()
    assert builds == [1, 1], builds
    assert ("round", r.pk, False) not in consumers.hubs  # the last socket out leaves no hub behind
