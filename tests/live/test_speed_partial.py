"""The speed format and partial weights: in a live game an option weighted 0.5 is wrong and
earns nothing, so ``correct`` and the points agree and no paid answer is below the floor."""

import datetime

import pytest

from contest.models import Answer
from live import services
from live.models import LiveQuestion
from live.services.answers import AnswerRequest, answers_save_batch
from quizbank.models import Status
from tests.live.factories import CORRECT, WRONG
from tests.quizbank import factories as qf

pytestmark = pytest.mark.django_db(transaction=True)

HALF = "c3"  # wrong, but weighted 0.5


def test_a_weighted_option_is_wrong_with_no_points_and_right_answers_keep_the_floor(world):
    content = qf.single(stem="Câu hỏi có phương án được nửa điểm?", correct=1)
    content["choices"][3]["weight"] = 0.5
    world.questions = [qf.make(content=content, status=Status.APPROVED)]
    game = world.game(mode="classic", time_limit_s=20)
    assert game.round.scoring_format == "speed"
    names = ("Nửa điểm", "Sai hẳn", "Đúng muộn", "Đúng sớm")
    services.players_join_batch([services.JoinRequest(game.pk, game.pin, "t", nickname=n) for n in names])
    half, wrong, late, early = game.players.order_by("pk")
    services.game_next(user=world.teacher, game_id=game.pk)
    game.refresh_from_db()
    question = LiveQuestion.objects.get(game=game, index=0)
    at = question.opened_at + datetime.timedelta(seconds=1)
    last = question.opened_at + datetime.timedelta(milliseconds=question.limit_ms)
    answers_save_batch(
        [
            AnswerRequest(game.pk, half.pk, 0, {"choice": HALF}, at),
            AnswerRequest(game.pk, wrong.pk, 0, {"choice": WRONG}, at),
            AnswerRequest(game.pk, late.pk, 0, {"choice": CORRECT}, last),
            AnswerRequest(game.pk, early.pk, 0, {"choice": CORRECT}, at),
        ]
    )
    rows = {a.attempt_id: a for a in Answer.objects.filter(attempt__round_id=game.round_id)}
    by_player = {p.pk: rows[p.attempt_id] for p in (half, wrong, late, early)}
    assert by_player[half.pk].fraction == 0.5  # the weight is graded...
    assert (by_player[half.pk].correct, by_player[half.pk].points) == (False, 0.0)  # ...and pays nothing here
    assert (by_player[wrong.pk].correct, by_player[wrong.pk].points) == (False, 0.0)
    max_points = game.round.scoring_config["max_points"]
    floor = max_points * game.round.scoring_config["min_share"]
    for p in (late, early):
        assert by_player[p.pk].correct is True and floor <= by_player[p.pk].points <= max_points
    assert by_player[late.pk].points == floor
    # Every answer: points > 0 exactly when correct.
    for a in rows.values():
        assert (a.points > 0) == a.correct
