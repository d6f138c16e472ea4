"""The teacher's report of a played game: read from the stored rows only (no writes, a fixed
number of queries), per player, per question (hardest first) and per team; the page, its
scope and the CSV/XLSX exports (numbers stay numbers, formulas are neutralised)."""

import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from live import services
from live.models import LiveGame, LiveQuestion
from live.report import NONE, RIGHT, WRONG, game_report
from live.services.answers import AnswerRequest, answers_save_batch
from tests.live.factories import CORRECT
from tests.live.factories import WRONG as WRONG_CHOICE

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = ("An", "Bình", "=HYPERLINK(1)")


def _played(world, *, teams=False):
    """Three questions: An right in 2 s on every question; Bình right on q1 (4 s), wrong on
    q2 (6 s), silent on q3; the third player wrong on q1 (8 s), right on q2 (3 s), silent on
    q3. Question 3 nobody gets right: it is the hardest; questions 1 and 2 both have 2 of 3 right,
    and question 1 took longer on average, so it comes before question 2."""
    options = {"team_mode": "groups", "team_count": 2} if teams else {}
    game = world.game(mode="classic", time_limit_s=20, **options)
    services.players_join_batch([services.JoinRequest(game.pk, game.pin, "t", nickname=n) for n in NAMES])
    an, binh, third = game.players.order_by("pk")
    plan = {
        0: [(an, CORRECT, 2), (binh, CORRECT, 4), (third, WRONG_CHOICE, 8)],
        1: [(an, CORRECT, 2), (binh, WRONG_CHOICE, 6), (third, CORRECT, 3)],
        2: [(an, WRONG_CHOICE, 2)],
    }
    for index, answers in plan.items():
        services.game_next(user=world.teacher, game_id=game.pk)  # open
        question = LiveQuestion.objects.get(game=game, index=index)
        answers_save_batch(
            [
                AnswerRequest(game.pk, p.pk, index, {"choice": c}, question.opened_at + datetime.timedelta(seconds=s))
                for p, c, s in answers
            ]
        )
        game.refresh_from_db()
        if game.phase == "question":
            services.game_next(user=world.teacher, game_id=game.pk)  # close: results
        if index < 2:
            services.game_next(user=world.teacher, game_id=game.pk)  # leaderboard
    services.game_next(user=world.teacher, game_id=game.pk)  # podium
    game.refresh_from_db()
    assert game.phase == "ended"
    return game


def test_report_per_player_and_per_question(world):
    game = _played(world)
    with CaptureQueriesContext(connection) as ctx:
        report = game_report(LiveGame.objects.select_related("round").get(pk=game.pk))
    sql = [q["sql"].lstrip().upper() for q in ctx.captured_queries]
    assert len(sql) <= 4, sql  # game; players+attempts; questions+versions; answers
    assert not [s for s in sql if s.startswith(("INSERT", "UPDATE", "DELETE"))]

    by_name = {p.name: p for p in report.players}
    assert report.players[0].name == "An"
    an, binh, third = by_name["An"], by_name["Bình"], by_name["=HYPERLINK(1)"]
    assert (an.rank, an.correct, an.answered) == (1, 2, 3)
    assert an.marks == [RIGHT, RIGHT, WRONG]
    assert binh.marks == [RIGHT, WRONG, NONE]
    assert third.marks == [WRONG, RIGHT, NONE]
    assert binh.seconds == [4.0, 6.0, None]
    assert an.score > binh.score > 0 and third.score > 0
    assert sorted(p.rank for p in report.players) == [1, 2, 3]

    q1, q2, q3 = report.questions
    assert (q1.answered, q1.right, q1.pct_right, q1.avg_s) == (3, 2, 66.7, round((2 + 4 + 8) / 3, 1))
    assert (q2.right, q2.avg_s) == (2, round((2 + 6 + 3) / 3, 1))
    assert (q3.answered, q3.right, q3.pct_right) == (1, 0, 0.0)
    assert [q.number for q in report.hardest] == [3, 1, 2]
    # The distribution as the class saw it: the tile's shape, the text, the count, the right one.
    assert q1.options[1] == ("◆ 10/10", 2, True)
    assert q1.options[2] == ("● 2/9", 1, False)


def test_report_teams(world):
    report = game_report(_played(world, teams=True))
    assert [t["members"] for t in report.teams] == [2, 1] or [t["members"] for t in report.teams] == [1, 2]
    assert all(p.team for p in report.players)
    assert report.teams[0]["score"] >= report.teams[1]["score"]


def test_report_page_exports_and_scope(world):
    game = _played(world, teams=True)
    client = Client()
    client.force_login(world.teacher)
    home = client.get(reverse("live:home")).content.decode()
    assert f'href="{reverse("live:report", args=[game.pk])}"' in home  # "Xem kết quả" opens the report

    page = client.get(reverse("live:report", args=[game.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Câu hỏi, khó nhất trước" in html and "0 % đúng" in html and "Bình" in html

    csv = client.get(reverse("live:report_export", args=[game.pk, "csv"]))
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8")
    assert text.startswith("\ufeffHạng,Người chơi,Đội,Điểm")
    assert "'=HYPERLINK(1)" in text and "\n3,=HYPERLINK" not in text
    questions_csv = client.get(reverse("live:report_export", args=[game.pk, "csv"]) + "?table=questions")
    lines = questions_csv.content.decode("utf-8").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["3", "1", "2"]

    xlsx = client.get(reverse("live:report_export", args=[game.pk, "xlsx"]))
    wb = load_workbook(io.BytesIO(xlsx.content))
    players = list(wb["Người chơi"].iter_rows(min_row=4, values_only=False))
    first = players[0]
    assert first[0].value == 1 and first[1].value == "An"
    assert isinstance(first[3].value, float | int) and first[3].number_format == "#,##0.0"
    names = [row[1] for row in players]
    formula = next(c for c in names if c.value == "=HYPERLINK(1)")
    assert formula.data_type == "s" and formula.quotePrefix
    assert [r[0].value for r in wb["Câu hỏi"].iter_rows(min_row=2)] == [3, 1, 2]
    assert wb["Đội"].max_row == 3

    stranger = Client()
    stranger.force_login(world.stranger)
    assert stranger.get(reverse("live:report", args=[game.pk])).status_code == 404
    assert stranger.get(reverse("live:report_export", args=[game.pk, "csv"])).status_code == 404
    assert client.get(reverse("live:report_export", args=[game.pk, "pdf"])).status_code == 404
