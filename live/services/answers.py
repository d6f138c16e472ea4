"""Answers in a live game: many at once, one transaction (the group commit).

``answers_save_batch`` checks and grades everything the per-process batcher collected in the
last few milliseconds and has the contest store it (``contest.services.answers_write``, one
``Answer`` and one ``AnswerLog`` row each, first answer final); only after the commit are the
answers acknowledged (DESIGN invariant 1). Rules:

- the server clock decides: ``received_at`` is stamped on receipt; an answer is taken only if
  the game is still on that question (not paused, not closed) and it is not late
  (``contest.policies.is_late`` with ``LIVE_ANSWER_GRACE``). The check runs under the game's
  row lock, the same lock a close takes, so an answer is either in the results of its question or refused as late;
- the first answer is final (as on a game show): the same player answering again, or a
  replay of the same message, changes nothing and gets the same acknowledgement; the
  (attempt, question) constraint keeps one row even if two workers race;
- kicked and eliminated players cannot answer; nothing in the acknowledgement says whether
  the answer was right (that is told to everyone at the close).

Points are priced here with the live timing (time from the question's open, pauses excluded;
``live.standings.answer_context``). Totals and ranks are computed at the close.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from contest.models import Answer
from contest.policies import LIVE_ANSWER_GRACE, AnswerPolicy, is_late
from contest.scoring import format_for
from contest.services import AnswerRow, answers_write
from contest.services.answers import normalise_response
from contest.versions import versions_by_id
from core.errors import Conflict, DomainError, NotFound
from live import standings
from live.locks import lock_games
from live.models import LiveGame, LivePlayer, LiveQuestion, Phase
from quizbank.grading import grade


@dataclass(frozen=True)
class AnswerRequest:
    game_id: int
    player_id: int
    index: int
    response: object
    received_at: datetime.datetime  # server time of receipt


@dataclass(frozen=True)
class AnswerSaved:
    index: int
    saved_at: datetime.datetime
    changed: bool


def _late() -> Conflict:
    return Conflict(_("Đã hết giờ: câu trả lời đến muộn không được ghi nhận."), code="late")


@dataclass(frozen=True)
class Touched:
    """A question that received new answers in a batch (what the batcher reports on)."""

    game_id: int
    round_id: int
    version_id: int
    index: int
    game_version: int
    elimination: bool


def answers_save_batch(requests: list[AnswerRequest]) -> tuple[list, list[Touched]]:
    """Save the valid requests; returns (an ``AnswerSaved`` or a ``DomainError`` per request,
    the questions that received new answers)."""
    out: list = [None] * len(requests)
    touched: set[Touched] = set()
    if not requests:
        return out, []
    with transaction.atomic():
        # The lock a question's close also takes: see the module docstring.
        lock_games({r.game_id for r in requests})
        games = {
            g.pk: g
            for g in LiveGame.objects.select_related("round")
            .filter(pk__in=sorted({r.game_id for r in requests}))
            .order_by("pk")
        }
        questions = {
            (q.game_id, q.index): q
            for g in games.values()
            if g.phase == Phase.QUESTION
            for q in [LiveQuestion.objects.filter(game=g, index=g.question_index).first()]
            if q is not None
        }
        players = {
            p.pk: p
            for p in LivePlayer.objects.filter(pk__in={r.player_id for r in requests}).only(
                "pk", "game_id", "attempt_id", "kicked_at", "out_index"
            )
        }
        versions = versions_by_id({q.question_version_id for q in questions.values()})
        existing = set(
            Answer.objects.filter(
                attempt_id__in={p.attempt_id for p in players.values()},
                question_version_id__in=list(versions),
            ).values_list("attempt_id", "question_version_id")
        )
        rows, accepted = [], {}
        formats = {}
        for i, request in enumerate(requests):
            try:
                game = games.get(request.game_id)
                player = players.get(request.player_id)
                if game is None or player is None or player.game_id != game.pk:
                    raise NotFound(_("Không tìm thấy người chơi."))
                if player.kicked_at is not None:
                    raise Conflict(_("Bạn không còn trong trò chơi."), code="kicked")
                if game.phase != Phase.QUESTION or request.index != game.question_index:
                    raise _late()
                question = questions[(game.pk, game.question_index)]
                if game.paused:
                    raise Conflict(_("Trò chơi đang tạm dừng."), code="paused")
                if is_late(request.received_at, question.deadline, grace=LIVE_ANSWER_GRACE):
                    raise _late()
                if player.out_index is not None:
                    raise Conflict(_("Bạn đã bị loại, hãy xem tiếp nhé."), code="eliminated")
                version = versions[question.question_version_id]
                key = (player.attempt_id, version.pk)
                if key in existing or key in accepted:
                    out[i] = ("dup", key)
                    continue
                response = normalise_response(version, request.response)
                result = grade(version, response)
                fmt = formats.get(game.pk) or formats.setdefault(game.pk, format_for(game.round))
                points = fmt.answer_points(standings.answer_context(question, request.received_at, result))
            except DomainError as exc:
                out[i] = exc
                continue
            accepted[key] = request.received_at
            rows.append(
                AnswerRow(
                    attempt_id=player.attempt_id,
                    version_id=version.pk,
                    response=response,
                    received_at=request.received_at,
                    correct=result.correct,
                    fraction=result.fraction,
                    points=points,
                )
            )
            out[i] = AnswerSaved(request.index, request.received_at, True)
            touched.add(
                Touched(game.pk, game.round_id, version.pk, request.index, game.version, game.mode == "elimination")
            )
        answers_write(rows=rows, policy=AnswerPolicy.FIRST_FINAL, source="live")
        stored = {}
        dup_keys = [o[1] for o in out if isinstance(o, tuple)]
        if dup_keys:
            stored = {
                (a, v): t
                for a, v, t in Answer.objects.filter(
                    attempt_id__in={k[0] for k in dup_keys}, question_version_id__in={k[1] for k in dup_keys}
                ).values_list("attempt_id", "question_version_id", "received_at")
            }
    for i, item in enumerate(out):
        if isinstance(item, tuple):
            saved_at = accepted.get(item[1]) or stored.get(item[1]) or requests[i].received_at
            out[i] = AnswerSaved(requests[i].index, saved_at, False)
    return out, sorted(touched, key=lambda t: t.game_id)
