"""Full games over real sockets (in-process layer, ``WebsocketCommunicator``): every mode from
the lobby to the podium, and no correctness in any payload before a question closes."""

import pytest
from channels.db import database_sync_to_async

from contest.models import Answer, AnswerLog, Attempt, AttemptStatus, Round
from core.errors import Conflict
from core.realtime.protocol import Msg
from live import services
from live.models import LiveGame, LivePlayer
from tests.live.conftest import CORRECTNESS_KEYS, Phone, walk_keys
from tests.live.factories import CORRECT, WRONG

pytestmark = pytest.mark.django_db(transaction=True)

db = database_sync_to_async


async def lobby(game, names) -> list[Phone]:
    phones = []
    for name in names:
        phone = await Phone(game.pk).connect()
        joined = await phone.join(game.pin, name)
        assert joined["type"] == Msg.LIVE_JOINED, joined
        await phone.state("lobby")
        phones.append(phone)
    return phones


async def host(world, action, game, **kw):
    fn = {"next": services.game_next, "end": services.game_end, "rescue": services.game_rescue}[action]
    return await db(fn)(user=world.teacher, game_id=game.pk, **kw)


def assert_no_correctness(phone: Phone, index: int) -> None:
    """Every frame this phone got from the opening of question ``index`` to its close carries
    no correctness (no right answer, no points, no distribution, nothing about its own answer)."""
    window = False
    for frame in phone.frames:
        is_state = frame["type"] == Msg.LIVE_STATE
        if is_state and frame["phase"] == "question" and frame["index"] == index:
            window = True
        if is_state and frame["phase"] == "results" and frame["index"] == index:
            assert window, "the question closed before it opened?"
            return
        if not window:
            continue
        if frame["type"] == Msg.LIVE_YOU:
            assert frame["index"] < index, f"personal results before the close: {frame}"
            continue  # the standing after an earlier, closed question (a reconnect snapshot)
        leaked = [(path, key) for path, key in walk_keys(frame) if key in CORRECTNESS_KEYS]
        assert not leaked, f"{frame['type']} carries {leaked} before question {index} closed"
    raise AssertionError("the question never closed")


async def play_question(world, game, phones, index, choices):
    """Open question ``index`` (from the lobby or a leaderboard), everyone answers, results."""
    await host(world, "next", game)
    for phone in phones:
        state = await phone.state("question", index)
        assert state["deadline"] > state["server_now"]
        assert [c["id"] for c in state["question"]["choices"]] == ["c0", "c1", "c2", "c3"]
    for phone, choice in zip(phones, choices, strict=True):
        if choice is None:
            continue
        ack = await phone.answer(index, choice, ref=100 + index)
        assert ack["type"] == Msg.LIVE_ANSWERED, ack
        assert set(ack) == {"type", "ref", "index", "saved_at"}  # stored, and nothing about right or wrong
    if None in choices:
        await host(world, "next", game)  # someone did not answer: the host closes the question
    yous = []
    for phone in phones:
        await phone.state("results", index)
        you = await phone.until(lambda m: m["type"] == Msg.LIVE_YOU and m["index"] == index)
        yous.append(you)
        assert_no_correctness(phone, index)
    return yous


async def test_classic_game_from_lobby_to_podium(world, live_loop):
    game = await db(world.game)(mode="classic")
    phones = await lobby(game, ["An", "Bình", "Châu"])
    # Q1: An right; Bình and Châu wrong (Bình answered first, so ranks above on time).
    yous = await play_question(world, game, phones, 0, [CORRECT, WRONG, WRONG])
    assert [y["correct"] for y in yous] == [True, False, False]
    assert 500 <= yous[0]["points"] <= 1000  # a right answer is worth 50-100 %, by speed
    assert yous[1]["points"] == yous[2]["points"] == 0
    results = next(f for f in phones[0].frames if f["type"] == Msg.LIVE_STATE and f["phase"] == "results")
    assert results["results"]["distribution"] == {"c0": 0, "c1": 1, "c2": 2, "c3": 0}
    assert results["results"]["correct_choices"] == [CORRECT]
    assert results["results"]["reason"] == "all_answered"

    await host(world, "next", game)  # leaderboard
    board = await phones[2].state("leaderboard", 0)
    assert [r["name"] for r in board["board"]["top"]] == ["An", "Bình", "Châu"]

    # Q2: Châu right, the others wrong: Châu climbs.
    yous = await play_question(world, game, phones, 1, [WRONG, WRONG, CORRECT])
    assert yous[2]["rank"] < yous[2]["prev_rank"]
    await host(world, "next", game)
    board = await phones[0].state("leaderboard", 1)
    assert board["board"]["climbers"][0]["name"] == "Châu"

    # Q3: only An answers (right); the host closes it.
    await host(world, "next", game)
    for phone in phones:
        await phone.state("question", 2)
    assert (await phones[0].answer(2, CORRECT, ref=7))["type"] == Msg.LIVE_ANSWERED
    await host(world, "next", game)  # closes the question ("skipped")
    for phone in phones:
        assert (await phone.state("results", 2))["results"]["reason"] == "skipped"
    await host(world, "next", game)  # the last question: straight to the podium
    podium = await phones[1].state("ended")
    assert [p["name"] for p in podium["podium"]["top"]] == ["An", "Châu", "Bình"]

    @db
    def stored():
        game.refresh_from_db()
        attempts = Attempt.objects.filter(round_id=game.round_id)
        return (
            game.pin,
            Round.objects.get(pk=game.round_id).finalized_at,
            {a.live_player.name: (a.rank, a.status, a.score, a.correct_count) for a in attempts},
            Answer.objects.filter(attempt__round_id=game.round_id).count(),
            AnswerLog.objects.filter(attempt__round_id=game.round_id, source="live").count(),
        )

    pin, finalized, by_name, answers, logs = await stored()
    assert pin is None and finalized is not None  # the PIN expired with the game
    assert by_name["An"][:2] == (1, AttemptStatus.SUBMITTED)
    assert (by_name["An"][3], by_name["Châu"][3], by_name["Bình"][3]) == (2, 1, 0)
    assert [by_name[n][0] for n in ("An", "Châu", "Bình")] == [1, 2, 3]
    assert answers == logs == 7

    @db
    def bank_stats():
        from live.models import LiveQuestion
        from quizbank.models import Question

        shown = LiveQuestion.objects.filter(game=game).order_by("index").values_list("question_version_id", flat=True)
        out = []
        for vid in shown:
            q = Question.objects.get(versions__pk=vid)
            out.append((q.times_used, q.answer_count, q.facility, q.avg_time_s is not None))
        return out

    # The bank learns how each question went: 1 of 3 right on each question; times known.
    assert await bank_stats() == [(1, 3, pytest.approx(1 / 3, abs=1e-4), True)] * 3
    for phone in phones:
        await phone.close()


async def test_accuracy_first_counts_right_answers_and_breaks_ties_by_time(world, live_loop):
    game = await db(world.game)(mode="accuracy")
    phones = await lobby(game, ["Nhanh", "Chậm", "Sai"])
    yous = await play_question(world, game, phones, 0, [CORRECT, CORRECT, WRONG])
    assert yous[0]["points"] == yous[1]["points"] == 1.0  # speed earns nothing...
    assert (yous[0]["rank"], yous[1]["rank"], yous[2]["rank"]) == (1, 2, 3)  # ...but breaks the tie
    await host(world, "end", game)
    podium = await phones[0].state("ended")
    assert [p["score"] for p in podium["podium"]["top"]] == [1.0, 1.0, 0.0]
    for phone in phones:
        await phone.close()


async def test_elimination_rescue_and_the_last_standing_win(world, live_loop):
    game = await db(world.game)(mode="elimination", rescues=1)
    phones = await lobby(game, ["Một", "Hai", "Ba"])
    # Q1: Ba is wrong and out; Hai does not answer and is out too.
    yous = await play_question(world, game, phones, 0, [CORRECT, None, WRONG])
    assert [y["out"] for y in yous] == [False, True, True]
    results = next(f for f in phones[0].frames if f["type"] == Msg.LIVE_STATE and f["phase"] == "results")
    assert results["alive"] == 1
    assert (results["results"]["reason"], results["results"]["answered"]) == ("skipped", 2)

    # "Cứu trợ": both come back.
    assert await host(world, "rescue", game) == 2
    rescued = await phones[2].until(lambda m: m["type"] == Msg.LIVE_STATE and m.get("rescues_used") == 1)
    assert rescued["alive"] == 3
    with pytest.raises(Conflict, match="hết lượt cứu trợ"):
        await host(world, "rescue", game)

    await host(world, "next", game)  # leaderboard
    # One survivor count everywhere: the leaderboard computed before the rescue says 3 too.
    board = await phones[0].state("leaderboard")
    assert board["board"]["alive"] == 3 == board["alive"]
    assert all(row["alive"] for row in board["board"]["top"])
    # Q2: everyone wrong: nobody is out (the last ones standing stay).
    yous = await play_question(world, game, phones, 1, [WRONG, WRONG, WRONG])
    assert [y["out"] for y in yous] == [False, False, False]
    await host(world, "next", game)
    # Q3: only Hai right: Hai is the last one standing and wins despite fewer points.
    yous = await play_question(world, game, phones, 2, [WRONG, CORRECT, WRONG])
    assert [y["out"] for y in yous] == [True, False, True]
    await host(world, "next", game)
    podium = await phones[0].state("ended")
    assert podium["podium"]["top"][0]["name"] == "Hai"
    assert podium["podium"]["top"][0]["alive"] is True

    # An eliminated player's answer is refused.
    @db
    def out_players():
        return set(LivePlayer.objects.filter(game=game, out_index__isnull=False).values_list("name", flat=True))

    assert await out_players() == {"Một", "Ba"}
    for phone in phones:
        await phone.close()


async def test_eliminated_player_cannot_answer(world, live_loop):
    game = await db(world.game)(mode="elimination", rescues=0)
    phones = await lobby(game, ["Còn", "Mất"])
    await play_question(world, game, phones, 0, [CORRECT, WRONG])
    await host(world, "next", game)
    await host(world, "next", game)
    await phones[1].state("question", 1)
    refused = await phones[1].answer(1, CORRECT, ref=55)
    assert refused["type"] == Msg.ERROR and refused["code"] == "eliminated"
    # The one player still standing answered: the question closes at once.
    await phones[0].state("question", 1)
    await phones[0].answer(1, CORRECT, ref=56)
    assert (await phones[1].state("results", 1))["results"]["reason"] == "all_answered"
    for phone in phones:
        await phone.close()


async def test_team_mode_ranks_groups_by_average(world, live_loop):
    game = await db(world.game)(team_mode="groups", team_count=2)
    phones = await lobby(game, ["A1", "B1", "A2", "B2"])
    teams = [p.player["team"] for p in phones]
    assert teams == ["g1", "g2", "g1", "g2"]  # balanced as they join
    # Team 1: one right, one wrong; team 2: both right.
    await play_question(world, game, phones, 0, [CORRECT, CORRECT, WRONG, CORRECT])
    await host(world, "next", game)
    board = await phones[0].state("leaderboard", 0)
    first, second = board["board"]["teams"]
    assert (first["key"], first["members"]) == ("g2", 2)
    assert second["key"] == "g1" and second["score"] < first["score"]
    assert second["score"] == pytest.approx(
        sum(r["score"] for r in board["board"]["top"] if r["team"] == "g1") / 2, abs=0.1
    )
    await host(world, "end", game)
    podium = await phones[0].state("ended")
    assert podium["podium"]["teams"][0]["key"] == "g2"
    for phone in phones:
        await phone.close()


async def test_class_teams_with_roster_join(world, live_loop):
    @db
    def setup():
        pupil2 = world.pupils[2]
        pupil2.school_class = world.klass2
        pupil2.save()
        return world.game(roster_classes=[world.klass.pk, world.klass2.pk], team_mode="class")

    game = await setup()
    phones = []
    for pupil in world.pupils:
        phone = await Phone(game.pk).connect()
        wrong_code = await phone.join(game.pin, student=pupil.pk, class_code="ZZZZ")
        assert wrong_code["type"] == Msg.ERROR and wrong_code["code"] == "bad_class_code"
        joined = await phone.join(game.pin, student=pupil.pk, class_code=game.class_code.lower())
        assert joined["type"] == Msg.LIVE_JOINED, joined
        phones.append(phone)
    assert [p.player["team"] for p in phones] == [f"c{world.klass.pk}"] * 2 + [f"c{world.klass2.pk}"]
    # A pupil's name is one player: picking it again from another phone is refused.
    again = await Phone(game.pk).connect()
    refused = await again.join(game.pin, student=world.pupils[0].pk, class_code=game.class_code)
    assert refused["type"] == Msg.ERROR and refused["code"] == "name_in_game"
    # A roster game has no nicknames.
    nick = await again.join(game.pin, "Khách")
    assert nick["type"] == Msg.ERROR and nick["code"] == "pick_name"
    await play_question(world, game, phones, 0, [CORRECT, WRONG, CORRECT])
    await host(world, "end", game)
    podium = await phones[0].state("ended")
    assert podium["podium"]["teams"][0]["key"] == f"c{world.klass2.pk}"  # 1 of 1 beats 1 of 2
    for phone in [*phones, again]:
        await phone.close()


async def test_late_join_sees_the_open_question_and_can_answer(world, live_loop):
    game = await db(world.game)()
    (first,) = await lobby(game, ["Sớm"])
    await host(world, "next", game)
    await first.state("question", 0)
    late = await Phone(game.pk).connect()
    assert (await late.join(game.pin, "Muộn"))["type"] == Msg.LIVE_JOINED
    snapshot = await late.state("question", 0)
    assert snapshot["question"]["stem_html"]
    assert (await late.answer(0, CORRECT))["type"] == Msg.LIVE_ANSWERED
    await first.close()
    await late.close()


async def test_game_rows(world, live_loop):
    game = await db(world.game)()
    assert len(game.pin) == 7 and game.pin.isdigit()
    assert await db(lambda: LiveGame.objects.get(pk=game.pk).round.mode)() == "live"
