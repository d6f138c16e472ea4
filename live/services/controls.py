"""The host's controls of a live game: next, close, pause, resume, add time, rescue, end.

Each is one transaction on the game row lock (``flow.locked_game``), checks the host's scope
and the phase, and publishes the new state after the commit (``flow.commit``).
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.models import Answer
from contest.scoring import format_for
from contest.services import answers_set_grades
from core.errors import Conflict, ValidationFailed
from live import standings
from live.models import GameMode, LiveGame, LivePlayer, Phase
from live.selectors import active_players_count
from live.services.flow import (
    advance,
    close_question,
    commit,
    current_question,
    end_game,
    host_game,
    ms_of,
    phase_deadline,
)
from quizbank.grading import Grade

MAX_ADD_S = 120


@transaction.atomic
def game_next(*, user, game_id: int, expected_phase: str | None = None) -> LiveGame:
    """Start the game, or move on: close the question, show the leaderboard, next question,
    podium. ``expected_phase`` (what the host's screen showed) guards against a double click."""
    game = host_game(user, game_id)
    if expected_phase is not None and expected_phase != game.phase:
        raise Conflict(_("Trò chơi đã chuyển sang bước khác."), code="stale")
    now = timezone.now()
    question, personal, followers = advance(game, now)
    commit(game, question, personal=personal, followers=followers)
    return game


@transaction.atomic
def game_skip(*, user, game_id: int) -> LiveGame:
    game = host_game(user, game_id)
    if game.phase != Phase.QUESTION:
        raise Conflict(_("Không có câu hỏi nào đang mở."), code="no_question")
    question = current_question(game)
    personal = close_question(game, question, timezone.now(), "skipped")
    commit(game, question, personal=personal)
    return game


@transaction.atomic
def game_pause(*, user, game_id: int) -> LiveGame:
    game = host_game(user, game_id)
    if game.phase != Phase.QUESTION or game.paused:
        raise Conflict(_("Chỉ tạm dừng được khi câu hỏi đang chạy."), code="not_running")
    now = timezone.now()
    question = current_question(game)
    game.paused_remaining_ms = max(0, ms_of(question.deadline) - ms_of(now))
    game.phase_deadline = None
    question.pauses = [*question.pauses, [ms_of(now), None]]
    question.save(update_fields=["pauses"])
    commit(game, question)
    return game


@transaction.atomic
def game_resume(*, user, game_id: int) -> LiveGame:
    game = host_game(user, game_id)
    if game.phase != Phase.QUESTION or not game.paused:
        raise Conflict(_("Trò chơi không tạm dừng."), code="not_paused")
    now = timezone.now()
    question = current_question(game)
    question.deadline = now + datetime.timedelta(milliseconds=game.paused_remaining_ms)
    if question.pauses and question.pauses[-1][1] is None:
        question.pauses[-1][1] = ms_of(now)
    question.save(update_fields=["deadline", "pauses"])
    game.paused_remaining_ms = None
    game.phase_deadline = phase_deadline(game, now=now, question=question)
    commit(game, question)
    return game


@transaction.atomic
def game_add_time(*, user, game_id: int, seconds) -> LiveGame:
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 1 <= seconds <= MAX_ADD_S:
        raise ValidationFailed(
            _("Thời gian thêm phải từ 1 đến %(n)s giây.") % {"n": MAX_ADD_S},
            fields={"seconds": [_("Không hợp lệ.")]},
        )
    game = host_game(user, game_id)
    if game.phase != Phase.QUESTION:
        raise Conflict(_("Không có câu hỏi nào đang mở."), code="no_question")
    question = current_question(game)
    extra = datetime.timedelta(seconds=seconds)
    question.limit_ms += seconds * 1000
    if game.paused:
        game.paused_remaining_ms += seconds * 1000
    else:
        question.deadline += extra
        game.phase_deadline = phase_deadline(game, now=timezone.now(), question=question)
    question.save(update_fields=["deadline", "limit_ms"])
    _reprice(game, question)
    commit(game, question)
    return game


def _reprice(game: LiveGame, question) -> None:
    """Price the answers already given to the open question again, on its new time limit.

    Speed points fall over the question's whole limit, added time included, so an answer
    given at 5 s earns the same whether the host added time before or after it, and a
    re-score reproduces the stored points. The open question is in nobody's total yet
    (totals are taken at its close), so only the answers change. Call under the game lock.
    """
    fmt = format_for(game.round)
    answers = list(
        Answer.objects.filter(attempt__round_id=game.round_id, question_version_id=question.question_version_id)
    )
    for a in answers:
        grade = Grade(correct=a.correct, fraction=a.fraction)
        a.points = fmt.answer_points(standings.answer_context(question, a.received_at, grade))
    answers_set_grades(answers=answers)  # contest owns the Answer rows


@transaction.atomic
def game_end(*, user, game_id: int) -> LiveGame:
    game = host_game(user, game_id)
    if game.phase == Phase.ENDED:
        return game
    question = current_question(game) if game.phase == Phase.QUESTION else None
    personal, followers = end_game(game, timezone.now())
    commit(game, question, personal=personal, followers=followers)
    return game


@transaction.atomic
def game_rescue(*, user, game_id: int) -> int:
    """ "Cứu trợ": every eliminated player comes back. Returns how many."""
    game = host_game(user, game_id)
    if game.mode != GameMode.ELIMINATION:
        raise Conflict(_("Chỉ có cứu trợ trong Rung chuông vàng."), code="not_elimination")
    if game.phase not in (Phase.RESULTS, Phase.LEADERBOARD):
        raise Conflict(_("Chỉ cứu trợ được giữa hai câu hỏi."), code="not_between")
    if game.rescues_used >= game.rescues_allowed:
        raise Conflict(_("Đã dùng hết lượt cứu trợ."), code="no_rescues")
    count = LivePlayer.objects.filter(game=game, kicked_at__isnull=True, out_index__isnull=False).update(
        out_index=None, rescued=F("rescued") + 1
    )
    if count == 0:
        raise Conflict(_("Không có ai bị loại để cứu trợ."), code="nobody_out")
    game.rescues_used += 1
    question = current_question(game)
    if question is not None and isinstance(question.board, dict) and "alive" in question.board:
        # The leaderboard after this question was computed before the rescue: everyone is back
        # in, so it says what the results screen says (one survivor count everywhere).
        board = question.board
        for key in ("top", "climbers"):
            for row in board.get(key, []):
                row["alive"] = True
        board["alive"] = active_players_count(game, alive=True)
        question.save(update_fields=["board"])
    commit(game, question)
    return count
