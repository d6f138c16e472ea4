"""Multi-round and year rankings break equal totals by the organiser's choice, and the pages
state the rule the ranking applies."""

import datetime

import pytest
from django.test import Client

from contest import services as contest_services
from contest.models import Tiebreak
from core.errors import ValidationFailed
from leaderboard.rankings import individual_ranking
from leaderboard.scopes import Filters, ranking_scope
from tests.leaderboard import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def equal_totals():
    w = f.world(communes=1, schools_per_commune=1)
    school, klass = w["schools"][0], w["classes"][0]
    c = f.contest(w["province"])
    week = datetime.timedelta(days=7)
    rounds = [f.round_(c, opens=f.T0 + i * week, prediction_kind="participants") for i in range(2)]
    an, binh, chi = (f.pupil(school, klass, n) for n in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Chi"))
    for r in rounds:
        # Equal scores. An: fastest of those who predict, off by one. Bình: exact, slowest.
        # Chi: fastest of all, but makes no prediction.
        f.attempt(r, an, score=10, time_s=100, prediction=2)
        f.attempt(r, binh, score=10, time_s=300, prediction=3)
        f.attempt(r, chi, score=10, time_s=50)
        assert contest_services.round_finalize(round_id=r.pk)
        r.refresh_from_db()
        assert r.prediction_actual == 3
    return {
        "contest": c,
        "rounds": rounds,
        "pupils": (an, binh, chi),
        "org": f.sf.staff("organiser", region=w["province"]),
    }


def order(contest) -> list[tuple[str, int]]:
    return [(row.name, row.rank) for row in individual_ranking(ranking_scope(contest), Filters())]


def test_prediction_tiebreak_by_default_then_total_time(equal_totals):
    c = equal_totals["contest"]
    assert c.tiebreak == Tiebreak.PREDICTION
    assert order(c) == [("Trần Thị Bình", 1), ("Nguyễn Văn An", 2), ("Lê Minh Chi", 3)]
    rows = individual_ranking(ranking_scope(c), Filters())
    assert [r.prediction_error for r in rows] == [0, 2, None]  # summed over the rounds; Chi made none


def test_time_tiebreak_when_the_organiser_chooses_it(equal_totals):
    c = equal_totals["contest"]
    contest_services.contest_update(user=equal_totals["org"], contest=c, tiebreak=Tiebreak.TIME)
    c.refresh_from_db()
    assert order(c) == [("Lê Minh Chi", 1), ("Nguyễn Văn An", 2), ("Trần Thị Bình", 3)]


def test_a_bad_tiebreak_is_refused_and_changes_nothing(equal_totals):
    c = equal_totals["contest"]
    with pytest.raises(ValidationFailed) as exc:
        contest_services.contest_update(user=equal_totals["org"], contest=c, tiebreak="coin")
    assert "tiebreak" in exc.value.fields
    c.refresh_from_db()
    assert c.tiebreak == Tiebreak.PREDICTION


def test_the_round_page_states_the_rule_the_ranking_applies(equal_totals):
    c, (an, _b, _c) = equal_totals["contest"], equal_totals["pupils"]
    client = Client()
    client.force_login(an.user)
    page = client.get(f"/contest/rounds/{equal_totals['rounds'][0].pk}/").content.decode()
    assert "tổng sai số dự đoán nhỏ hơn, rồi tổng thời gian làm bài ít hơn" in page
    contest_services.contest_update(user=equal_totals["org"], contest=c, tiebreak=Tiebreak.TIME)
    page = client.get(f"/contest/rounds/{equal_totals['rounds'][0].pk}/").content.decode()
    assert "Bằng tổng điểm: tổng thời gian làm bài ít hơn" in page
    assert "dự đoán nhỏ hơn" not in page
