""" "+10 s" re-prices the open question's answers: speed points fall over the question's whole
limit, added time included, whenever the answer came, and a re-score reproduces them."""

import datetime

import pytest

from contest.models import Answer
from live import services
from live.models import LiveQuestion
from live.services.answers import AnswerRequest, answers_save_batch
from live.services.rescore import game_rescore
from tests.live.factories import CORRECT

pytestmark = pytest.mark.django_db(transaction=True)


def test_added_time_reprices_answers_already_given(world):
    game = world.game(mode="classic", time_limit_s=20)
    services.players_join_batch([services.JoinRequest(game.pk, game.pin, "t", nickname=n) for n in ("Trước", "Sau")])
    before, after = game.players.order_by("pk")
    services.game_next(user=world.teacher, game_id=game.pk)
    question = LiveQuestion.objects.get(game=game, index=0)
    at_5s = question.opened_at + datetime.timedelta(seconds=5)
    answers_save_batch([AnswerRequest(game.pk, before.pk, 0, {"choice": CORRECT}, at_5s)])
    first = Answer.objects.get(attempt_id=before.attempt_id)
    assert first.points == 875  # 1000 × (1 − 0.5 × 5/20)

    services.game_add_time(user=world.teacher, game_id=game.pk, seconds=10)
    answers_save_batch([AnswerRequest(game.pk, after.pk, 0, {"choice": CORRECT}, at_5s)])
    first.refresh_from_db()
    second = Answer.objects.get(attempt_id=after.attempt_id)
    assert first.points == second.points == 917  # 1000 × (1 − 0.5 × 5/30), for both
    assert game_rescore(game_id=game.pk)["answers_changed"] == 0
