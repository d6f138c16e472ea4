"""The roster-join list on phones offers only verified pupils; picking a pending one is refused."""

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from core.realtime.protocol import Msg
from schools.models import StudentStatus
from tests.live.conftest import Phone
from tests.schools import factories as sf

pytestmark = pytest.mark.django_db(transaction=True)
db = database_sync_to_async


def _pending(world):
    return sf.student(
        world.school, world.klass, full_name="Đỗ Chờ Duyệt", username="pending1", status=StudentStatus.PENDING
    )


def test_the_list_leaves_out_pupils_not_yet_verified(world):
    pending = _pending(world)
    assert pending.status == StudentStatus.PENDING
    game = world.game(roster_classes=[world.klass.pk])
    listing = Client().post(
        "/api/live/roster/", {"pin": game.pin, "class_code": game.class_code}, content_type="application/json"
    )
    names = [s["name"] for s in listing.json()["students"]]
    ids = [s["id"] for s in listing.json()["students"]]
    assert pending.pk not in ids and "Đỗ Chờ Duyệt" not in names
    assert sorted(ids) == sorted(p.pk for p in world.pupils)  # every verified pupil is still there


async def test_picking_a_pending_pupil_is_refused(world, live_loop):
    pending = await db(_pending)(world)
    game = await db(world.game)(roster_classes=[world.klass.pk])
    phone = await Phone(game.pk).connect()
    refused = await phone.join(game.pin, student=pending.pk, class_code=game.class_code)
    assert refused["type"] == Msg.ERROR and refused["code"] == "not_in_roster"
    joined = await phone.join(game.pin, student=world.pupils[0].pk, class_code=game.class_code)
    assert joined["type"] == Msg.LIVE_JOINED
