"""Creating and opening games (API and pages), bad input, the pages, re-scoring and the demo."""

import datetime
import io

import pytest
from django.test import Client

from contest.models import Answer, Attempt, Round
from live import demo, services
from live.models import LiveGame, LiveQuestion
from live.services.answers import AnswerRequest, answers_save_batch
from tests.live.factories import CORRECT, WRONG

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_a_game_through_the_api(world):
    client = _client(world.teacher)
    body = {
        "school": world.school.pk,
        "name": "Đố vui 9A1",
        "questions": [q.pk for q in world.questions],
        "mode": "elimination",
        "rescues": 2,
        "roster_classes": [world.klass.pk],
    }
    created = client.post("/api/live/games/", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    data = created.json()
    game = LiveGame.objects.get(pk=data["id"])
    assert (data["pin"], data["class_code"], data["phase"]) == (game.pin, game.class_code, "lobby")
    assert data["join_url"].endswith(f"/live/join/?pin={game.pin}")
    assert game.round.mode == "live" and game.round.scoring_format == "elimination"
    assert game.rescues_allowed == 2 and list(game.roster_classes.all()) == [world.klass]
    assert game.question_order == [q.current_version_id for q in world.questions]
    detail = client.get(f"/api/live/games/{game.pk}/").json()
    assert detail["state"]["phase"] == "lobby" and detail["players"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"questions": []}, "questions"),
        ({"time_limit_s": 1}, "time_limit_s"),
        ({"mode": "blitz"}, "mode"),
        ({"team_mode": "groups", "team_count": 9}, "team_count"),
        ({"team_mode": "class", "team_classes": []}, "team_classes"),
        ({"rescues": -1}, "rescues"),
    ],
)
def test_bad_options_are_refused_and_change_nothing(world, change, field):
    client = _client(world.teacher)
    body = {"school": world.school.pk, "name": "Sai", "questions": [q.pk for q in world.questions], **change}
    refused = client.post("/api/live/games/", body, content_type="application/json")
    assert refused.status_code == 400, refused.json()
    error = refused.json()["error"]
    assert error["message"] and field in error["fields"], error
    assert not LiveGame.objects.exists() and not Round.objects.exists()


def test_classes_of_another_school_are_refused(world):
    from tests.schools import factories as sf

    foreign = sf.klass(world.other_school, name="6A")
    with pytest.raises(Exception) as exc:
        world.game(roster_classes=[foreign.pk])
    assert "roster_classes" in exc.value.fields
    assert not LiveGame.objects.exists()


def test_opening_a_round_again_copies_it(world):
    game = world.game()
    client = _client(world.teacher)
    again = client.post(f"/api/live/rounds/{game.round_id}/open/", {}, content_type="application/json")
    assert again.json()["id"] == game.pk  # still running: the same game
    services.game_end(user=world.teacher, game_id=game.pk)
    replay = client.post(f"/api/live/rounds/{game.round_id}/open/", {}, content_type="application/json").json()
    new = LiveGame.objects.get(pk=replay["id"])
    assert new.pk != game.pk and new.round_id != game.round_id
    assert new.question_order == game.question_order and new.pin and new.pin != game.pin


def test_pages(world, django_assert_max_num_queries):
    game = world.game()
    client = _client(world.teacher)
    with django_assert_max_num_queries(25):
        home = client.get("/live/")
    assert home.status_code == 200 and game.pin in home.content.decode()
    host = client.get(f"/live/{game.pk}/host/").content.decode()
    assert game.pin in host and "<svg" in host and f"/live/join/?pin={game.pin}" in host
    screen = client.get(f"/live/{game.pk}/screen/").content.decode()
    assert game.pin in screen and 'id="live-config"' in screen
    assert client.get("/live/new/").status_code == 200
    anonymous = Client()
    assert anonymous.get(f"/live/join/?pin={game.pin}").status_code == 200
    assert anonymous.get(f"/live/{game.pk}/play/").status_code == 200
    assert anonymous.get("/live/99999/play/").status_code == 404
    assert anonymous.get(f"/live/{game.pk}/host/").status_code == 302  # sign in first
    pupil = _client(world.pupils[0].user)
    assert pupil.get("/live/").status_code == 403


def test_the_form_creates_a_game_and_shows_errors(world):
    client = _client(world.teacher)
    bad = client.post("/live/new/", {"name": "", "school": world.school.pk, "mode": "classic", "time_limit_s": 20})
    assert bad.status_code == 200 and not LiveGame.objects.exists()
    assert "errorlist" in bad.content.decode()
    ok = client.post(
        "/live/new/",
        {
            "name": "Từ trang",
            "school": world.school.pk,
            "mode": "accuracy",
            "time_limit_s": 15,
            "questions": [q.pk for q in world.questions[:2]],
            "auto_advance_s": 0,
            "rescues": 1,
            "shuffle_choices": "on",
        },
    )
    game = LiveGame.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/live/{game.pk}/host/"
    assert (game.mode, game.time_limit_s, len(game.question_order)) == ("accuracy", 15, 2)


def test_rescoring_reproduces_every_stored_number(world, time_machine):
    start = datetime.datetime(2026, 11, 29, 8, 0, tzinfo=datetime.UTC)
    time_machine.move_to(start, tick=False)
    game = world.game(time_limit_s=10)
    services.players_join_batch(
        [services.JoinRequest(game.pk, game.pin, "t", nickname=n) for n in ("Một", "Hai", "Ba")]
    )
    players = list(game.players.order_by("pk"))
    for index, picks in enumerate([(CORRECT, CORRECT, WRONG), (CORRECT, WRONG, CORRECT)]):
        services.game_next(user=world.teacher, game_id=game.pk)
        if index:
            services.game_next(user=world.teacher, game_id=game.pk)
        opened = LiveQuestion.objects.get(game=game, index=index).opened_at
        requests = [
            AnswerRequest(game.pk, p.pk, index, {"choice": c}, opened + datetime.timedelta(seconds=1 + 3 * i))
            for i, (p, c) in enumerate(zip(players, picks, strict=True))
        ]
        answers_save_batch(requests)
        services.game_next(user=world.teacher, game_id=game.pk)  # close
    services.game_end(user=world.teacher, game_id=game.pk)
    before = list(Attempt.objects.filter(round_id=game.round_id).order_by("pk").values_list("score", "rank"))
    # 1 s of 10 is worth 95 %, 4 s 80 %, 7 s 65 %.
    assert before == [(1900.0, 1), (800.0, 2), (650.0, 3)]
    assert services.game_rescore(game_id=game.pk)["answers_changed"] == 0
    assert list(Attempt.objects.filter(round_id=game.round_id).order_by("pk").values_list("score", "rank")) == before
    # A tampered row is put right from the stored response and times.
    answer = Answer.objects.filter(attempt__round_id=game.round_id, correct=True).first()
    Answer.objects.filter(pk=answer.pk).update(points=1)
    assert services.game_rescore(game_id=game.pk)["answers_changed"] == 1
    assert Answer.objects.get(pk=answer.pk).points == answer.points


def test_seed_demo_adds_ready_to_host_games(world):
    """``live.demo.seed`` on what the schools and quizbank seeds provide: the demo teacher
    ``giaovien`` at a school, and approved official questions keyed "demo:…"."""
    from quizbank.models import Question, Status
    from tests.quizbank import factories as qf
    from tests.schools import factories as sf

    teacher = sf.staff("teacher", school_obj=world.school, username="giaovien")
    for i in range(12):
        qf.make(content=qf.single(stem=f"Câu mẫu {i}?"), status=Status.APPROVED, external_key=f"demo:t-{i:03d}")
    out = io.StringIO()
    demo.seed(out)
    rounds = Round.objects.filter(mode="live", is_demo=True)
    assert rounds.count() == 2, out.getvalue()
    assert set(rounds.values_list("scoring_format", flat=True)) == {"speed", "elimination"}
    demo.seed(io.StringIO())  # idempotent
    assert Round.objects.filter(mode="live", is_demo=True).count() == 2
    round_ = rounds.get(scoring_format="elimination")
    game = services.game_open(user=teacher, round_=round_)  # one click: "Mở phòng chờ"
    assert game.pin and game.phase == "lobby" and game.mode == "elimination"
    assert game.total == round_.round_questions.count() >= 4
    assert Question.objects.filter(
        pk__in=[rq.question_version.question_id for rq in round_.round_questions.all()]
    ).exists()
    # Without a demo teacher it does nothing.
    teacher.username = "someone"
    teacher.save()
    demo.seed(out)
    assert "skipped" in out.getvalue()
