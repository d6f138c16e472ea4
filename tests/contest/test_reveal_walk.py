"""Every reveal level through every payload a pupil receives (DESIGN invariant 4).

For each level, a round is walked from the running attempt to the finalized round, and at each
stage every payload is read as the pupil reads it: the REST attempt, answer save and submit,
the result and round pages, the round socket, the round's board (REST and socket), and the published
ranking's public export. Each must carry exactly what the level allows, no more and no less.
"""

import datetime

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client
from django.utils import timezone

from config.asgi import application
from contest import services
from contest.models import Attempt, Reveal, Round
from core.errors import Conflict
from core.realtime.protocol import Msg
from leaderboard import services as lb_services
from leaderboard.models import Publication
from leaderboard.scopes import Filters, ranking_scope
from quizbank.models import Status
from tests.contest import factories as cf
from tests.contest.helpers import versions_of
from tests.contest.test_consumers import session_cookie
from tests.quizbank import factories as qf

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("close_batcher_connection")]

LEVELS = [int(v) for v in Reveal.values]
EXPLAINED = "Giải thích riêng của câu hỏi số"


def build(during: int, after_attempt: int, after_close: int):
    w = cf.world(students=2)
    qs = [
        qf.make(
            content=qf.single(stem=f"Câu hỏi kiểm tra mức hiển thị {i}?", explanation=f"{EXPLAINED} {i}."),
            status=Status.APPROVED,
        )
        for i in range(3)
    ]
    r = cf.round_(
        w, questions_list=qs, reveal_during=during, reveal_after_attempt=after_attempt, reveal_after_close=after_close
    )
    return w, r


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


async def _sockets(user, round_id: int) -> dict:
    headers = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000"), (b"cookie", user.cookie)]
    out = {}
    for name, path in (
        ("round socket", f"/ws/contest/rounds/{round_id}/"),
        ("board socket", f"/ws/leaderboard/rounds/{round_id}/"),
    ):
        ws = WebsocketCommunicator(application, path, headers=headers)
        connected, code = await ws.connect()
        assert connected, (path, code)
        out[name] = await ws.receive_json_from(timeout=5)
        await ws.disconnect()
    await database_sync_to_async(connections.close_all)()
    return out


def pupil_view(user, round_: Round, attempt: Attempt) -> dict:
    client = client_for(user)
    view = {
        "rest attempt": client.get(f"/api/contest/attempts/{attempt.pk}/").json(),
        "rest board": client.get(f"/api/leaderboard/rounds/{round_.pk}/board/").json(),
    }
    view.update(async_to_sync(_sockets)(user, round_.pk))
    attempt.refresh_from_db()
    if not attempt.is_open:
        view["result page"] = client.get(f"/contest/attempts/{attempt.pk}/result/").content.decode()
        view["round page"] = client.get(f"/contest/rounds/{round_.pk}/").content.decode()
    return view


def check_attempt(data: dict, level: int, *, closed: bool) -> None:
    assert data["reveal"] == level
    assert ("score" in data) == (level >= Reveal.SCORE)
    assert ("correct_count" in data) == (level >= Reveal.CORRECTNESS)
    for q in data["questions"]:
        marked = level >= Reveal.CORRECTNESS and (closed or q["response"] is not None)
        assert ("correct" in q) == marked and ("points" in q) == marked, q
        if marked and q["response"] is None:
            assert (q["correct"], q["points"]) == (False, 0.0)  # unanswered: wrong, no points
        assert ("correct_response" in q) == (level >= Reveal.ANSWERS)
        assert ("correct_choices" in q) == (level >= Reveal.ANSWERS)
        assert ("explanation_html" in q) == (level >= Reveal.EXPLANATIONS)


def check_feedback(result: dict, level: int) -> None:
    expected = set()
    if level >= Reveal.SCORE:
        expected.add("score")
    if level >= Reveal.CORRECTNESS:
        expected |= {"correct", "points"}
    if level >= Reveal.ANSWERS:
        expected.add("correct_response")
    if level >= Reveal.EXPLANATIONS:
        expected.add("explanation_html")
    assert set(result) == expected, result


def check_board(board: dict, level: int) -> None:
    if level >= Reveal.SCORE:
        assert board["me"] is not None and isinstance(board["me"]["score"], float) and board["me"]["rank"] == 1
        assert board["mine"]["all"]["rank"] == 1
        assert board["hidden"] is False
    else:
        assert board["me"] is None and board["top"] == [] and board["around"] == [] and board["mine"] == {}, board
        assert board["total"] is None
        assert board["hidden"] is True


def check_page(html: str, level: int) -> None:
    assert ('data-testid="score"' in html) == (level >= Reveal.SCORE)
    assert ('class="badge err"' in html) == (level >= Reveal.CORRECTNESS)  # one wrong, one unanswered
    assert ("đáp án đúng" in html) == (level >= Reveal.ANSWERS)
    assert (EXPLAINED in html) == (level >= Reveal.EXPLANATIONS)


def check_all(view: dict, level: int, board_level: int, *, closed: bool) -> None:
    check_attempt(view["rest attempt"], level, closed=closed)
    check_board(view["rest board"], board_level)
    board = view["board socket"]
    assert board["type"] == Msg.BOARD_SNAPSHOT
    check_board(board, board_level)
    snap = view["round socket"]
    assert snap["type"] == Msg.ROUND_SNAPSHOT
    if closed:
        assert snap["attempt"] is None  # the round socket carries only a running attempt
        check_page(view["result page"], level)
        # Which attempt counts is the best one: it tells scores apart.
        assert ("được tính" in view["round page"]) == (board_level >= Reveal.SCORE)
    else:
        check_attempt(snap["attempt"], level, closed=False)


def play(w, r, user):
    """Start, answer question 1 right and question 2 wrong, leave question 3 unanswered."""
    client = client_for(user)
    attempt = services.attempt_start(user=user, round_=r)
    feedback = []
    for version, response in zip(versions_of(attempt)[:2], ("right", "wrong"), strict=False):
        body = cf.correct_response(version) if response == "right" else cf.wrong_response(version)
        resp = client.put(
            f"/api/contest/attempts/{attempt.pk}/answers/{version.pk}/",
            data={"response": body},
            content_type="application/json",
        )
        assert resp.status_code == 200, resp.content
        feedback.append(resp.json()["result"])
    return attempt, feedback, client


def close_and_finalize(r: Round) -> Round:
    now = timezone.now()
    Round.objects.filter(pk=r.pk).update(closes_at=now - datetime.timedelta(seconds=10))
    services.round_finalize(round_id=r.pk, now=now)
    r.refresh_from_db()
    assert r.finalized_at is not None
    return r


def check_public_export(w, r: Round, level: int) -> None:
    """A published ranking is public: it may be published only if the pupils may see scores."""
    scope = ranking_scope(w.contest)
    if level < Reveal.SCORE:
        with pytest.raises(Conflict) as exc:
            lb_services.ranking_publish(user=w.organiser, scope=scope, kind="individual", filters=Filters())
        assert exc.value.code == "scores_hidden"
        assert not Publication.objects.exists()
        return
    pub = lb_services.ranking_publish(user=w.organiser, scope=scope, kind="individual", filters=Filters())
    csv = Client().get(f"/leaderboard/p/{pub.pk}/export.csv").content.decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == 2  # the header and the pupil's row


@pytest.mark.parametrize("level", LEVELS)
def test_one_level_at_every_stage(level):
    """(level, level, level): the same level during the attempt, after it, after the close."""
    w, r = build(level, level, level)
    user = w.students[0]
    user.cookie = session_cookie(user)
    attempt, feedback, client = play(w, r, user)
    for result in feedback:
        check_feedback(result, level)
    check_all(pupil_view(user, r, attempt), level, level, closed=False)

    submitted = client.post(f"/api/contest/attempts/{attempt.pk}/submit/").json()
    check_attempt(submitted, level, closed=True)
    check_all(pupil_view(user, r, attempt), level, level, closed=True)

    r = close_and_finalize(r)
    check_all(pupil_view(user, r, attempt), level, level, closed=True)
    check_public_export(w, r, level)


@pytest.mark.parametrize("level", LEVELS)
def test_nothing_until_the_close_then_the_level(level):
    """(nothing, nothing, level): the board and every payload wait for the close."""
    w, r = build(Reveal.NOTHING, Reveal.NOTHING, level)
    user = w.students[0]
    user.cookie = session_cookie(user)
    attempt, feedback, client = play(w, r, user)
    assert feedback == [{}, {}]
    client.post(f"/api/contest/attempts/{attempt.pk}/submit/")
    check_all(pupil_view(user, r, attempt), Reveal.NOTHING, Reveal.NOTHING, closed=True)

    r = close_and_finalize(r)
    check_all(pupil_view(user, r, attempt), level, level, closed=True)
    check_public_export(w, r, level)
