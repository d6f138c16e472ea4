"""Every unit metric and tie rule against hand-computed expectations.

Three THCS schools (10 pupils enrolled in grade 9 each; the contest targets grade 9):
S1 and S2 in commune C1, S3 in commune C2. Year results (best per round, summed):
a1 40+30=70, c1 40+30=70 (same times: a tie), b1 50, a2 40, a3 20 (its retry counts);
b2's only attempt is disqualified.
"""

import datetime

import pytest

from contest.services import attempt_disqualify
from core.errors import ValidationFailed
from leaderboard.aggregation import unit_ranking
from leaderboard.rankings import allocate, individual_ranking, prize_for_rank
from leaderboard.scopes import Filters, parse_filters, ranking_scope
from tests.leaderboard import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    w = f.world(communes=2, schools_per_commune=2)
    s1, s2, s3, _s4 = w["schools"]
    k1, k2, k3, _k4 = w["classes"]
    # School 4 (commune C2) has pupils enrolled but nobody took part.
    c = f.contest(
        w["province"],
        levels=["thcs"],
        grades=[9],
        prize_points={"Giải Nhất": 10, "Giải Nhì": 8, "participation": 100},
    )
    r1 = f.round_(c, name="Tuần 1")
    r2 = f.round_(c, name="Tuần 2", opens=r1.closes_at)
    practice = f.round_(c, name="Thi thử", practice=True)
    end1, end2 = r1.opens_at + datetime.timedelta(hours=2), r2.opens_at + datetime.timedelta(hours=2)
    p = {
        "a1": f.pupil(s1, k1, "Nguyễn Văn An"),
        "a2": f.pupil(s1, k1, "Trần Thị Bình"),
        "a3": f.pupil(s1, k1, "Lê Văn Cường"),
        "b1": f.pupil(s2, k2, "Phạm Thị Dung"),
        "b2": f.pupil(s2, k2, "Hoàng Văn Em"),
        "c1": f.pupil(s3, k3, "Võ Thị Giang"),
    }
    f.attempt(r1, p["a1"], score=40, time_s=600, submitted=end1)
    f.attempt(r1, p["a2"], score=40, time_s=600, submitted=end1)
    f.attempt(r1, p["c1"], score=40, time_s=600, submitted=end1)
    f.attempt(r1, p["b1"], score=50, time_s=100, submitted=end1)
    f.attempt(r1, p["a3"], score=10, time_s=300, submitted=end1 - datetime.timedelta(minutes=30))
    f.attempt(r1, p["a3"], score=20, time_s=300, submitted=end1)
    bad = f.attempt(r1, p["b2"], score=60, time_s=60, submitted=end1)
    with f.committed():
        attempt_disqualify(attempt_id=bad.pk, reason="Thi hộ")
    f.attempt(r2, p["a1"], score=30, time_s=600, submitted=end2)
    f.attempt(r2, p["c1"], score=30, time_s=600, submitted=end2)
    f.attempt(practice, p["a2"], score=100, time_s=10, submitted=end1)  # practice never counts
    return {"w": w, "c": c, "r1": r1, "r2": r2, "p": p, "s": (s1, s2, s3), "communes": w["communes"]}


def table(rows, metric):
    return [(r.name, r.rank, r.metric(metric)) for r in rows]


def test_year_individual_ranking_sums_best_per_round_with_shared_ranks(year):
    scope = ranking_scope(year["c"])
    rows = individual_ranking(scope, Filters())
    assert [(r.name, r.rank, r.score, r.rounds) for r in rows] == [
        ("Nguyễn Văn An", 1, 70.0, 2),
        ("Võ Thị Giang", 1, 70.0, 2),
        ("Phạm Thị Dung", 3, 50.0, 1),
        ("Trần Thị Bình", 4, 40.0, 1),
        ("Lê Văn Cường", 5, 20.0, 1),
    ]
    allocate(rows, year["c"].individual_prizes)
    # Tiers: 1 first prize, 2 second prizes. The tie at rank 1 takes both first prizes;
    # rank 3 is still within 1 + 2 = 3 places, rank 4 is not.
    assert [r.prize for r in rows] == ["Giải Nhất", "Giải Nhất", "Giải Nhì", "", ""]


def test_one_round_ties_at_a_prize_boundary_all_win(year):
    rows = individual_ranking(ranking_scope(year["c"], [year["r1"].pk]), Filters())
    assert [(r.name, r.rank) for r in rows][:1] == [("Phạm Thị Dung", 1)]
    assert sorted((r.name, r.rank) for r in rows[1:4]) == [
        ("Nguyễn Văn An", 2),
        ("Trần Thị Bình", 2),
        ("Võ Thị Giang", 2),
    ]
    assert rows[4].rank == 5 and rows[4].score == 20.0  # a3's better retry counts
    allocate(rows, year["c"].individual_prizes)
    assert [r.prize for r in rows] == ["Giải Nhất", "Giải Nhì", "Giải Nhì", "Giải Nhì", ""]


def test_prize_rule_table():
    tiers = [{"name": "I", "count": 1}, {"name": "II", "count": 3}, {"name": "III", "count": 0}]
    assert [prize_for_rank(r, tiers) for r in (1, 1, 3, 4, 4, 6)] == ["I", "I", "II", "II", "II", ""]


def test_school_metrics(year):
    s1, s2, s3 = (s.name for s in year["s"])
    s4 = year["w"]["schools"][3].name
    scope = ranking_scope(year["c"])
    rows = {r.name: r for r in unit_ranking(scope, Filters(), unit="school", metric="participants", top_k=2)}
    assert (rows[s1].participants, rows[s1].enrolled, rows[s1].participation_rate) == (3, 10, 0.3)
    assert rows[s1].attempts == 5 and rows[s1].mean_score == 43.3333 and rows[s1].top_k_mean == 55.0
    assert rows[s1].prize_points == 10 + 100 * 0.3
    assert (rows[s2].participants, rows[s2].attempts, rows[s2].mean_score, rows[s2].top_k_mean) == (1, 1, 50.0, 25.0)
    assert rows[s2].prize_points == 8 + 10
    assert (rows[s3].participants, rows[s3].attempts, rows[s3].mean_score, rows[s3].top_k_mean) == (1, 2, 70.0, 35.0)
    assert rows[s3].prize_points == 10 + 10
    assert (rows[s4].participants, rows[s4].participation_rate, rows[s4].mean_score) == (0, 0.0, None)

    def ranked(metric):
        return table(unit_ranking(scope, Filters(), unit="school", metric=metric, top_k=2), metric)

    assert ranked("participants") == [(s1, 1, 3), (s2, 2, 1), (s3, 2, 1), (s4, 4, 0)]
    assert ranked("participation_rate") == [(s1, 1, 0.3), (s2, 2, 0.1), (s3, 2, 0.1), (s4, 4, 0.0)]
    assert ranked("attempts") == [(s1, 1, 5), (s3, 2, 2), (s2, 3, 1), (s4, 4, 0)]
    assert ranked("mean_score") == [(s3, 1, 70.0), (s2, 2, 50.0), (s1, 3, 43.3333), (s4, 4, None)]
    assert ranked("top_k_mean") == [(s1, 1, 55.0), (s3, 2, 35.0), (s2, 3, 25.0), (s4, 4, 0.0)]
    assert ranked("prize_points") == [(s1, 1, 40.0), (s3, 2, 20.0), (s2, 3, 18.0), (s4, 4, 0.0)]


def test_commune_province_and_class_metrics(year):
    c1, c2 = year["communes"]
    scope = ranking_scope(year["c"])
    communes = {r.name: r for r in unit_ranking(scope, Filters(), unit="commune", metric="prize_points", top_k=2)}
    one, two = communes[c1.name], communes[c2.name]
    assert (one.participants, one.enrolled, one.participation_rate, one.attempts) == (4, 20, 0.2, 6)
    assert (one.mean_score, one.top_k_mean, one.prize_points) == (45.0, 60.0, 38.0)
    assert (two.participants, two.enrolled, two.participation_rate, two.attempts) == (1, 20, 0.05, 2)
    assert (two.mean_score, two.top_k_mean, two.prize_points) == (70.0, 35.0, 15.0)
    (province,) = unit_ranking(scope, Filters(), unit="province", metric="participants")
    assert (province.participants, province.enrolled, province.participation_rate) == (5, 40, 0.125)
    classes = {r.detail: r for r in unit_ranking(scope, Filters(), unit="class", metric="participation_rate")}
    s1, s2, s3 = (s.name for s in year["s"])
    assert classes[s1].participation_rate == 1.0 and classes[s2].participation_rate == 0.5
    assert classes[s3].participation_rate == 1.0


def test_filters_and_round_sets(year):
    c = year["c"]
    c2 = year["communes"][1]
    only_c2 = parse_filters({"commune": str(c2.pk)}, c)
    assert [r.name for r in individual_ranking(ranking_scope(c), only_c2)] == ["Võ Thị Giang"]
    assert individual_ranking(ranking_scope(c), parse_filters({"grade": "8"}, c)) == []
    assert individual_ranking(ranking_scope(c), parse_filters({"level": "thpt"}, c)) == []
    second = individual_ranking(ranking_scope(c, [year["r2"].pk]), Filters())
    assert [(r.name, r.rank) for r in second] == [("Nguyễn Văn An", 1), ("Võ Thị Giang", 1)]
    with pytest.raises(ValidationFailed) as err:
        parse_filters({"grade": "13", "level": "x", "commune": "abc"}, c)
    assert set(err.value.fields) == {"grade", "level", "commune"}
    practice = c.rounds.get(practice=True)
    with pytest.raises(ValidationFailed):
        ranking_scope(c, [practice.pk])
