"""A live game's hot paths do not grow their queries with the number of players: the join
batch and the answer batch (pinned here; each is one transaction of a batcher)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from contest import versions
from live import services
from live.models import LiveQuestion
from live.services.answers import AnswerRequest, answers_save_batch
from tests.live.factories import CORRECT


def _joins(game, names):
    return [services.JoinRequest(game.pk, game.pin, "t", nickname=n) for n in names]


def test_join_and_answer_batches_cost_the_same_queries_for_3_or_12_players(world):
    game = world.game()
    join_counts = []
    for names in ([f"Người {i}" for i in range(3)], [f"Bạn {i}" for i in range(12)]):
        with CaptureQueriesContext(connection) as ctx:
            joined = services.players_join_batch(_joins(game, names))
        assert all(isinstance(j, services.Joined) for j in joined)
        join_counts.append(len(ctx.captured_queries))
    # Per batch: BEGIN; the game lock; the games by PIN; the players already in the game; team
    # sizes; SAVEPOINT; INSERT attempts (the contest's write API); INSERT players; RELEASE;
    # the player count for the lobby message; COMMIT.
    assert join_counts == [11, 11]

    services.game_next(user=world.teacher, game_id=game.pk)
    question = LiveQuestion.objects.get(game=game, index=0)
    players = list(game.players.order_by("pk"))
    at = question.opened_at + datetime.timedelta(seconds=1)
    answer_counts = []
    for group in (players[:3], players[3:]):
        versions.forget()  # each batch reads the question's version once
        with CaptureQueriesContext(connection) as ctx:
            results, _touched = answers_save_batch(
                [AnswerRequest(game.pk, p.pk, 0, {"choice": CORRECT}, at) for p in group]
            )
        assert all(r.changed for r in results)
        answer_counts.append(len(ctx.captured_queries))
    # BEGIN; lock the games; read them with their rounds; the open question; the players; the
    # question's version; the stored answers of those attempts; the contest's write of the
    # answers and their log lines (one statement on PostgreSQL, two on SQLite); COMMIT.
    expected = 10 if connection.vendor == "sqlite" else 9
    assert answer_counts == [expected, expected]
