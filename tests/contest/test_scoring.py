"""Scoring formats: registry, config validation, points, the ranker and the contest order."""

import pytest

from contest.scoring import AnswerContext, Standing, format_for, get_format, ranks
from core.errors import ValidationFailed


def ctx(fraction=1.0, correct=True, elapsed=0, limit=60_000):
    return AnswerContext(fraction=fraction, correct=correct, elapsed_ms=elapsed, limit_ms=limit)


def test_builtin_formats_are_registered():
    for name in ("accuracy", "speed", "contest"):
        assert get_format(name).name == name
    with pytest.raises(ValidationFailed) as exc:
        get_format("nope")
    assert exc.value.code == "unknown_format"


@pytest.mark.parametrize(
    ("name", "config", "bad_field"),
    [
        ("contest", {"points_per_question": 0}, "points_per_question"),
        ("contest", {"points_per_question": "10"}, "points_per_question"),
        ("contest", {"surprise": 1}, "surprise"),
        ("accuracy", {"partial_credit": "yes"}, "partial_credit"),
        ("speed", {"min_share": 1.5}, "min_share"),
        ("speed", {"max_points": 10.5}, "max_points"),
        ("speed", {"streak_bonus": 5000, "max_points": 1000}, "streak_bonus"),
    ],
)
def test_each_format_validates_its_config(name, config, bad_field):
    with pytest.raises(ValidationFailed) as exc:
        get_format(name).validate(config)
    assert bad_field in exc.value.fields


def test_defaults_fill_in():
    assert get_format("contest").validate({}) == {"points_per_question": 10.0, "partial_credit": False}
    assert get_format("speed").validate({"max_points": 500})["max_points"] == 500


def test_contest_points_all_or_nothing_by_default():
    fmt = get_format("contest")({})
    assert fmt.answer_points(ctx(1.0, True)) == 10
    assert fmt.answer_points(ctx(0.5, False)) == 0
    partial = get_format("contest")({"partial_credit": True, "points_per_question": 4})
    assert partial.answer_points(ctx(0.5, False)) == 2


def test_speed_points_fall_with_time_and_streaks_add():
    fmt = get_format("speed")({"max_points": 1000, "min_share": 0.5, "streak_bonus": 100, "streak_cap": 2})
    assert fmt.answer_points(ctx(elapsed=0)) == 1000
    assert fmt.answer_points(ctx(elapsed=30_000)) == 750
    assert fmt.answer_points(ctx(elapsed=90_000)) == 500  # never below min_share when correct
    assert fmt.answer_points(ctx(fraction=0, correct=False)) == 0
    # A partial weight is not a correct answer: it earns nothing here (never below the floor).
    assert fmt.answer_points(ctx(fraction=0.5, correct=False)) == 0
    assert fmt.answer_points(ctx(fraction=0.99, correct=False, elapsed=90_000)) == 0
    # correct, correct, correct, wrong, correct: bonuses 100 (2nd) + 200 (3rd, capped at 2).
    answers = [(True, 1000), (True, 1000), (True, 1000), (False, 0), (True, 1000)]
    assert fmt.attempt_score(answers) == 4000 + 100 + 200
    # An unanswered question breaks the streak too.
    assert fmt.attempt_score([(True, 1000), None, (True, 1000)]) == 2000


def test_ranker_shares_ranks_1_1_3():
    items = [("a", 10), ("b", 8), ("c", 10), ("d", 7)]
    result = [(rank, name) for rank, (name, _s) in ranks(items, key=lambda i: (-i[1],))]
    assert result == [(1, "a"), (1, "c"), (3, "b"), (4, "d")]


def test_contest_order_prediction_then_time_then_submit():
    class R:
        scoring_format, scoring_config = "contest", {}

    fmt = format_for(R)
    a = Standing(score=90, time_used_ms=500_000, submitted_at_ms=3, prediction_error=2)
    b = Standing(score=90, time_used_ms=100_000, submitted_at_ms=2, prediction_error=40)
    c = Standing(score=90, time_used_ms=100_000, submitted_at_ms=1, prediction_error=40)
    d = Standing(score=100, time_used_ms=900_000, submitted_at_ms=9, prediction_error=None)
    e = Standing(score=90, time_used_ms=100_000, submitted_at_ms=1, prediction_error=None)
    final = sorted([a, b, c, d, e], key=lambda s: fmt.rank_key(s, final=True))
    assert final == [d, a, c, b, e]  # score, then |error| (none last), then time, then submit
    live = sorted([a, b, c, d], key=lambda s: fmt.rank_key(s, final=False))
    assert live == [d, c, b, a]  # the live order knows no actual value yet
