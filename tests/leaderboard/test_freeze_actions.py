"""Only ``freeze`` and ``unfreeze`` act on a round's board: a misspelt action is 404 and the
freeze stays (it used to unfreeze), in the API and on the page."""

import datetime

import pytest
import time_machine

from contest.models import Round
from leaderboard import services
from tests.leaderboard import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(f.T0 + datetime.timedelta(hours=1), tick=False):
        yield _frozen()


def _frozen():
    w = f.world(communes=1, schools_per_commune=1)
    round_ = f.round_(f.contest(w["province"]), name="Tuần 1")
    org = f.sf.staff("organiser", region=w["province"], username="btc")
    services.board_freeze(user=org, round_=round_)
    return org, round_


@pytest.mark.parametrize("url", ["/api/leaderboard/rounds/{}/{}/", "/leaderboard/rounds/{}/{}/"])
@pytest.mark.parametrize("action", ["frezee", "unfreeze-now", "x"])
def test_unknown_action_is_404_and_keeps_the_freeze(client, frozen, url, action):
    org, round_ = frozen
    client.force_login(org)
    assert client.post(url.format(round_.pk, action)).status_code == 404
    assert Round.objects.get(pk=round_.pk).board_freeze_at is not None


def test_unfreeze_still_unfreezes(client, frozen):
    org, round_ = frozen
    client.force_login(org)
    assert client.post(f"/api/leaderboard/rounds/{round_.pk}/unfreeze/").status_code == 200
    assert Round.objects.get(pk=round_.pk).board_freeze_at is None
