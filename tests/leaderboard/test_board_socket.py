"""The live board socket: snapshot, coalesced updates (small slices), board switching, the
freeze (students see the frozen board, organisers the live one) and refusals."""

import asyncio
import datetime

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from contest.models import Round
from core.realtime.protocol import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED, Msg
from leaderboard import push, services
from leaderboard.routing import websocket_urlpatterns
from tests.leaderboard import factories as f

pytestmark = pytest.mark.django_db(transaction=True)
app = URLRouter(websocket_urlpatterns)


@pytest.fixture(autouse=True)
def _fresh_coalescer():
    push.coalescer.cancel()
    push.coalescer._last.clear()
    yield
    push.coalescer.cancel()


def build():
    w = f.world(communes=1, schools_per_commune=2)
    other = f.world(communes=1, schools_per_commune=1, province_code="87")
    c = f.contest(w["province"])
    now = timezone.now()
    r = f.round_(c, name="Tuần đang mở", opens=now - datetime.timedelta(hours=1), hours=3)
    (s1, s2), (k1, k2) = w["schools"], w["classes"]
    students = [f.pupil(s1, k1, "Nguyễn Văn An"), f.pupil(s1, k1, "Trần Bình"), f.pupil(s2, k2, "Lê Chi")]
    org = f.sf.staff("organiser", region=w["province"])
    foreign = f.pupil(other["schools"][0], other["classes"][0], "Người Ngoài")
    f.attempt(r, students[0], score=20, time_s=100, submitted=now - datetime.timedelta(minutes=30))
    return {"round": r, "students": students, "org": org, "foreign": foreign, "now": now}


async def connect(user, round_id):
    comm = WebsocketCommunicator(app, f"/ws/leaderboard/rounds/{round_id}/")
    comm.scope["user"] = user
    connected, code = await comm.connect()
    return comm, connected, code


async def drain(comm, seconds):
    """Every message arriving within ``seconds`` (a timeout in receive would kill the app)."""
    out = []
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while loop.time() < end:
        if await comm.receive_nothing(timeout=0.05):
            continue
        out.append(await comm.receive_json_from(timeout=1))
    return out


async def test_snapshot_updates_are_coalesced_and_small():
    d = await database_sync_to_async(build)()
    r, (an, binh, chi) = d["round"], d["students"]
    comm, ok, _ = await connect(an.user, r.pk)
    assert ok
    snap = await comm.receive_json_from(timeout=5)
    assert snap["type"] == Msg.BOARD_SNAPSHOT and snap["total"] == 1 and snap["me"]["rank"] == 1
    assert snap["frozen"] is False and snap["mine"]["class"] == {"rank": 1, "total": 1}

    submitted = d["now"] - datetime.timedelta(minutes=10)
    await database_sync_to_async(f.attempt)(r, binh, score=30, time_s=100, submitted=submitted)
    first = await comm.receive_json_from(timeout=5)
    assert first["type"] == Msg.BOARD_UPDATE and first["me"]["rank"] == 2 and first["total"] == 2
    # Five more changes within the second: folded into one trailing update.
    for i in range(5):
        await database_sync_to_async(f.attempt)(r, chi, score=31 + i, time_s=100, submitted=submitted)
    messages = await drain(comm, 2.5)
    assert 1 <= len(messages) <= 2
    last = messages[-1]
    assert last["total"] == 3 and last["top"][0]["score"] == 35.0 and last["me"]["rank"] == 3
    assert len(last["top"]) <= 10 and all(set(row) >= {"rank", "name", "score"} for row in last["top"])

    await comm.send_json_to({"type": Msg.BOARD_VIEW, "board": "units:school", "ref": 7})
    units = await comm.receive_json_from(timeout=5)
    assert units["type"] == Msg.BOARD_SNAPSHOT and units["ref"] == 7 and units["board"] == "units:school"
    assert [row["score"] for row in units["top"]] == [50.0, 35.0] and units["me"]["rank"] == 1
    await comm.send_json_to({"type": Msg.BOARD_VIEW, "board": "everything"})
    error = await comm.receive_json_from(timeout=5)
    assert error["type"] == Msg.ERROR and error["code"] == "bad_board"
    await comm.disconnect()


async def test_freeze_students_see_frozen_organisers_live():
    d = await database_sync_to_async(build)()
    r, (an, binh, _chi), org = d["round"], d["students"], d["org"]
    await database_sync_to_async(services.board_freeze)(user=org, round_=r)
    student, ok, _ = await connect(an.user, r.pk)
    staff, ok2, _ = await connect(org, r.pk)
    assert ok and ok2
    s_snap = await student.receive_json_from(timeout=5)
    o_snap = await staff.receive_json_from(timeout=5)
    assert s_snap["frozen"] is True and o_snap["frozen"] is False and o_snap["staff"] is True
    await database_sync_to_async(f.attempt)(r, binh, score=90, time_s=50)
    live = await staff.receive_json_from(timeout=5)
    assert live["total"] == 2 and live["top"][0]["score"] == 90.0
    # The frozen board does not move (a push may still arrive: it carries the same frozen slice).
    for msg in await drain(student, 1.5):
        assert msg["frozen"] is True and msg["total"] == 1 and msg["top"][0]["score"] == 20.0
    fresh = await database_sync_to_async(Round.objects.get)(pk=r.pk)
    assert fresh.board_freeze_at is not None
    await student.send_json_to({"type": Msg.BOARD_VIEW, "board": "all"})
    again = await student.receive_json_from(timeout=5)
    assert again["frozen"] is True and again["total"] == 1 and again["top"][0]["score"] == 20.0
    await student.disconnect()
    await staff.disconnect()


async def test_refusals():
    d = await database_sync_to_async(build)()
    from django.contrib.auth.models import AnonymousUser

    _comm, ok, code = await connect(AnonymousUser(), d["round"].pk)
    assert not ok and code == CLOSE_UNAUTHENTICATED
    _comm, ok, code = await connect(d["foreign"].user, d["round"].pk)
    assert not ok and code == CLOSE_NOT_FOUND
    _comm, ok, code = await connect(d["org"], 999999)
    assert not ok and code == CLOSE_NOT_FOUND
