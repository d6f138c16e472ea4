"""The server owns the timeline: deadlines, grace, pause, added time, reconnects, a host who
leaves, and transitions that happen exactly once however many clocks race for them."""

import asyncio
import datetime
import threading

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import close_old_connections, connection

from config.asgi import application
from contest.models import Answer
from contest.policies import LIVE_ANSWER_GRACE as GRACE
from core.errors import Conflict, ValidationFailed
from core.realtime.protocol import Msg
from live import services
from live.models import LiveGame, LiveQuestion, Phase
from live.services.answers import AnswerRequest, AnswerSaved, answers_save_batch
from live.services.flow import game_advance_due
from tests.live.conftest import ORIGIN, Phone
from tests.live.factories import CORRECT, WRONG

pytestmark = pytest.mark.django_db(transaction=True)

db = database_sync_to_async


def _question(game) -> LiveQuestion:
    game.refresh_from_db()
    return LiveQuestion.objects.get(game=game, index=game.question_index)


def test_late_answers_are_refused_by_the_server_clock(world):
    game = world.game()
    services.players_join_batch([services.JoinRequest(game.pk, game.pin, "t", nickname=n) for n in ("Đúng giờ", "Trễ")])
    on_time, late = game.players.order_by("pk")
    services.game_next(user=world.teacher, game_id=game.pk)
    question = _question(game)
    edge = question.deadline + GRACE
    results, _touched = answers_save_batch(
        [
            AnswerRequest(game.pk, on_time.pk, 0, {"choice": CORRECT}, edge),  # the last instant that counts
            AnswerRequest(game.pk, late.pk, 0, {"choice": CORRECT}, edge + datetime.timedelta(milliseconds=1)),
        ]
    )
    assert isinstance(results[0], AnswerSaved)
    assert isinstance(results[1], Conflict) and results[1].code == "late"
    assert Answer.objects.filter(attempt__round_id=game.round_id).count() == 1
    # Once the question has closed, nothing more is taken, whatever the time.
    services.game_skip(user=world.teacher, game_id=game.pk)
    (after,), _ = answers_save_batch([AnswerRequest(game.pk, late.pk, 0, {"choice": CORRECT}, question.opened_at)])
    assert isinstance(after, Conflict) and after.code == "late"


def test_the_first_answer_is_final_and_a_replay_scores_once(world):
    game = world.game()
    services.players_join_batch([services.JoinRequest(game.pk, game.pin, "t", nickname="Một lần")])
    player = game.players.get()
    services.game_next(user=world.teacher, game_id=game.pk)
    now = _question(game).opened_at + datetime.timedelta(seconds=1)
    requests = [AnswerRequest(game.pk, player.pk, 0, {"choice": c}, now) for c in (CORRECT, WRONG, CORRECT)]
    results, _ = answers_save_batch(requests)
    assert [r.changed for r in results] == [True, False, False]
    results, _ = answers_save_batch(requests[:1])  # the same message again, in another batch
    assert results[0].changed is False and results[0].saved_at == now
    answer = Answer.objects.get(attempt__round_id=game.round_id)
    assert answer.response == {"choice": CORRECT} and answer.correct


def test_pause_add_time_and_resume_move_the_deadline(world, time_machine):
    start = datetime.datetime(2026, 11, 29, 9, 0, tzinfo=datetime.UTC)
    time_machine.move_to(start, tick=False)
    game = world.game(time_limit_s=20)
    services.players_join_batch([services.JoinRequest(game.pk, game.pin, "t", nickname="Chờ")])
    player = game.players.get()
    services.game_next(user=world.teacher, game_id=game.pk)
    assert _question(game).deadline == start + datetime.timedelta(seconds=20)
    time_machine.move_to(start + datetime.timedelta(seconds=5), tick=False)
    services.game_pause(user=world.teacher, game_id=game.pk)
    game.refresh_from_db()
    assert (game.paused_remaining_ms, game.phase_deadline) == (15000, None)  # the clock leaves it alone
    (refused,), _ = answers_save_batch([AnswerRequest(game.pk, player.pk, 0, {"choice": CORRECT}, start)])
    assert refused.code == "paused"
    services.game_add_time(user=world.teacher, game_id=game.pk, seconds=10)
    time_machine.move_to(start + datetime.timedelta(seconds=65), tick=False)  # a one-minute pause
    services.game_resume(user=world.teacher, game_id=game.pk)
    question = _question(game)
    assert question.deadline == start + datetime.timedelta(seconds=65 + 25)
    assert question.limit_ms == 30000
    assert question.pauses == [[int((start.timestamp() + 5) * 1000), int((start.timestamp() + 65) * 1000)]]
    # Speed points count the time shown, not the pause: 10 s of 30 s taken.
    at = start + datetime.timedelta(seconds=70)
    (saved,), _ = answers_save_batch([AnswerRequest(game.pk, player.pk, 0, {"choice": CORRECT}, at)])
    assert isinstance(saved, AnswerSaved)
    points = Answer.objects.get(attempt__round_id=game.round_id).points
    assert points == round(1000 * (1 - 0.5 * 10 / 30))
    with pytest.raises(ValidationFailed):
        services.game_add_time(user=world.teacher, game_id=game.pk, seconds=0)


def test_a_transition_happens_once_when_clocks_race(world, time_machine):
    """Several worker clocks see the same deadline at once: one closes the question."""
    game = world.game(time_limit_s=3)
    services.game_next(user=world.teacher, game_id=game.pk)
    game.refresh_from_db()
    version = game.version
    later = game.phase_deadline + datetime.timedelta(milliseconds=1)
    barrier = threading.Barrier(4)
    wins = []

    def clock():
        close_old_connections()
        try:
            barrier.wait(5)
            wins.append(game_advance_due(game_id=game.pk, version=version, now=later))
        finally:
            connection.close()

    threads = [threading.Thread(target=clock) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(wins) == [False, False, False, True]
    game.refresh_from_db()
    assert (game.phase, game.version) == (Phase.RESULTS, version + 1)
    assert LiveQuestion.objects.get(game=game, index=0).close_reason == "deadline"
    # Too early, or for a state that has moved on: nothing happens.
    assert game_advance_due(game_id=game.pk, version=version, now=later) is False


async def test_reconnect_mid_question_is_the_same_player(world, live_loop):
    game = await db(world.game)()
    phone = await Phone(game.pk).connect()
    other = await Phone(game.pk).connect()
    await phone.join(game.pin, "Mạng yếu")
    await other.join(game.pin, "Ổn định")
    await db(services.game_next)(user=world.teacher, game_id=game.pk)
    await phone.state("question", 0)
    assert (await phone.answer(0, CORRECT))["type"] == Msg.LIVE_ANSWERED
    token, player = phone.token, phone.player
    await phone.close()  # the phone reloads the page

    back = await Phone(game.pk).connect()
    joined = await back.resume(token)
    assert joined["player"] == player
    snapshot = await back.state("question", 0)
    assert snapshot["deadline"] is not None
    you = await back.until(lambda m: m["type"] == Msg.LIVE_YOU)
    assert you["current"] == {"index": 0, "answered": True}
    assert "correct" not in you and "points" not in you  # the question is still open
    again = await back.answer(0, WRONG, ref=11)  # answering again changes nothing
    assert again["type"] == Msg.LIVE_ANSWERED
    await other.answer(0, WRONG)
    await back.state("results", 0)
    mine = await back.until(lambda m: m["type"] == Msg.LIVE_YOU and m["index"] == 0)
    assert (mine["correct"], mine["rank"]) == (True, 1)
    # A token from another game, or a forged one, is refused.
    stranger = await Phone(game.pk).connect()
    bad = await stranger.resume(token[:-2] + "xx")
    assert bad["type"] == Msg.ERROR and bad["code"] == "bad_token"
    for p in (back, other, stranger):
        await p.close()


async def test_the_game_goes_on_without_the_host(world, live_loop):
    """The host's browser leaves: the question closes at its deadline and the game advances
    by the server clock, with nobody answering and no host connected."""
    game = await db(world.game)(time_limit_s=3, auto_advance_s=1)
    host_ws = WebsocketCommunicator(application, f"/ws/live/{game.pk}/host/", headers=ORIGIN)
    assert not (await host_ws.connect())[0]  # not signed in: refused
    phone = await Phone(game.pk).connect()
    await phone.join(game.pin, "Một mình")
    await db(services.game_next)(user=world.teacher, game_id=game.pk)
    opened = await phone.state("question", 0)
    results = await phone.state("results", 0, timeout=10)
    assert results["results"]["reason"] == "deadline"
    assert results["server_now"] >= opened["deadline"] + int(GRACE.total_seconds() * 1000)
    await phone.state("leaderboard", 0, timeout=5)
    await phone.state("question", 1, timeout=5)
    await phone.close()

    @db
    def phase():
        return LiveGame.objects.get(pk=game.pk).phase

    assert await phase() == Phase.QUESTION
    # Nobody is connected any more: the clock still closes the question.
    await asyncio.sleep(4.5)
    assert await phase() in (Phase.RESULTS, Phase.LEADERBOARD)
