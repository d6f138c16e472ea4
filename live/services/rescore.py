"""Re-scoring a live game from its stored rows (DESIGN invariant 6).

``contest.services.rescore_round`` prices answers by the time since the attempt started,
which is the window-round rule; a live answer is priced by the time since its question was
shown (pauses excluded). This re-grades every answer with that rule and recomputes each
attempt's totals and, for an ended game, the final ranks. Run twice, it changes nothing the
second time; run on an untouched game, it reproduces every stored number.
"""

from django.db import transaction

from contest import hooks
from contest.models import Answer, Attempt
from contest.scoring import format_for
from contest.services import answers_set_grades, attempts_set_totals
from contest.versions import versions_by_id
from core.errors import ValidationFailed
from live import standings
from live.locks import lock_games
from live.models import LiveGame, LiveQuestion, Phase
from live.selectors import standings_input
from quizbank.grading import grade


@transaction.atomic
def game_rescore(*, game_id: int) -> dict:
    lock_games([game_id])
    game = LiveGame.objects.select_related("round").get(pk=game_id)
    fmt = format_for(game.round)
    questions = {q.question_version_id: q for q in LiveQuestion.objects.filter(game=game)}
    answers = list(Answer.objects.filter(attempt__round_id=game.round_id).order_by("pk"))
    versions = versions_by_id({a.question_version_id for a in answers})
    changed_answers = []
    for ans in answers:
        question = questions.get(ans.question_version_id)
        if question is None:
            continue
        try:
            result = grade(versions[ans.question_version_id], ans.response)
            points = fmt.answer_points(standings.answer_context(question, ans.received_at, result))
            new = (result.correct, result.fraction, points)
        except ValidationFailed:
            new = (False, 0.0, 0.0)
        if (ans.correct, ans.fraction, ans.points) != new:
            ans.correct, ans.fraction, ans.points = new
            changed_answers.append(ans)
    answers_set_grades(answers=changed_answers)
    players, by_attempt, by_index, _responses = standings_input(game, None)
    last = max(by_index) if by_index else -1
    if game.phase == Phase.QUESTION:
        last = game.question_index - 1  # the open question is not in anyone's total yet
    rows = {r.player_id: r for r in standings.compute(game, players, by_attempt, by_index, last)}
    attempts = {a.pk: a for a in Attempt.objects.filter(round_id=game.round_id)}
    changed = []
    for p in players:
        r, attempt = rows.get(p.pk), attempts.get(p.attempt_id)
        if attempt is None or r is None:
            continue
        mine = by_attempt.get(p.attempt_id, {})
        new = (r.score, r.correct, sum(1 for v in game.question_order[: last + 1] if v in mine))
        if game.phase == Phase.ENDED:
            new = (*new, r.rank, r.time_ms)
        old = (attempt.score, attempt.correct_count, attempt.answered_count)
        if game.phase == Phase.ENDED:
            old = (*old, attempt.rank, attempt.time_used_ms)
        if old != new:
            attempt.score, attempt.correct_count, attempt.answered_count = new[:3]
            if game.phase == Phase.ENDED:
                attempt.rank, attempt.time_used_ms = new[3:]
            changed.append(attempt)
    attempts_set_totals(
        rows=[(a.score, a.correct_count, a.answered_count, a.rank, a.time_used_ms, a.pk) for a in changed], ranked=True
    )
    hooks.attempts_changed(changed)
    return {"answers": len(answers), "answers_changed": len(changed_answers), "attempts_changed": len(changed)}
