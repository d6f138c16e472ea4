"""Per-question statistics recorded by the contest engine at round close."""

import pytest

from quizbank.services import question_update, stats_record, version_for_round
from tests.quizbank import factories as f

pytestmark = pytest.mark.django_db


def _results(pairs):
    return [{"fraction": fr, "time_s": t, "total": tot} for fr, t, tot in pairs]


def test_stats_record_facility_time_and_discrimination(organiser):
    q = f.make(organiser, status="approved")
    v = version_for_round(q)
    # Strong students (high totals out of 10) got it right, weak ones wrong: positive discrimination.
    results = _results(
        [(1, 10, 9), (1, 12, 8), (1, 8, 9), (0, 20, 3), (0, 25, 2), (0, None, 1), (1, 15, 7), (0, 30, 4)]
    )
    q = stats_record(version=v, round_key="round-1", results=results)
    assert q.times_used == 1
    assert q.answer_count == 8
    assert q.facility == 0.5
    assert q.avg_time_s == pytest.approx((10 + 12 + 8 + 20 + 25 + 15 + 30) / 7, abs=0.01)
    assert q.discrimination > 0.8
    # Reversed (weak students right, strong wrong): negative discrimination.
    q = stats_record(version=v, round_key="round-1", results=[{**r, "fraction": 1 - r["fraction"]} for r in results])
    assert q.discrimination < -0.5


def test_stats_record_same_round_twice_replaces(organiser):
    q = f.make(organiser, status="approved")
    v = version_for_round(q)
    stats_record(version=v, round_key="r1", results=_results([(1, 10, 1), (0, 10, 0)]))
    q = stats_record(version=v, round_key="r1", results=_results([(1, 10, 1), (1, 10, 1), (0, 10, 0), (0, 10, 0)]))
    assert (q.times_used, q.answer_count, q.facility) == (1, 4, 0.5)


def test_stats_accumulate_over_rounds_and_versions(organiser):
    q = f.make(organiser, status="approved")
    v1 = version_for_round(q)
    stats_record(version=v1, round_key="r1", results=_results([(1, 10, 1), (1, 20, 1)]))
    question_update(user=organiser, question=q, content={"stem": "Đề đã sửa"})
    q.refresh_from_db()
    v2 = version_for_round(q)
    assert v2.pk != v1.pk
    q = stats_record(version=v2, round_key="r2", results=_results([(0, 30, 0), (0.5, None, 0.5)]))
    assert q.times_used == 2
    assert q.answer_count == 4
    assert q.facility == pytest.approx(2.5 / 4)
    assert q.avg_time_s == 20.0
    assert q.discrimination is None  # fewer than 5 responses per round: undefined


def test_stats_no_spread_gives_no_discrimination(organiser):
    q = f.make(organiser, status="approved")
    v = version_for_round(q)
    q = stats_record(version=v, round_key="r", results=_results([(1, 5, 1)] * 6))
    assert q.facility == 1.0 and q.discrimination is None
