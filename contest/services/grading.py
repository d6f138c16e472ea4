"""Scoring of stored answers: the one place both the write path and re-scoring use.

Everything here is a pure function of stored values (the response, its server time, the
attempt's start and order, the round's format config), so a re-score reproduces each number.
"""

from contest.scoring import AnswerContext, format_for
from quizbank.grading import Grade, grade


def answer_context(round_, attempt, received_at, result: Grade) -> AnswerContext:
    elapsed = int((received_at - attempt.started_at).total_seconds() * 1000)
    return AnswerContext(
        fraction=result.fraction, correct=result.correct, elapsed_ms=max(0, elapsed), limit_ms=round_.duration_s * 1000
    )


def score_response(fmt, round_, attempt, version, response, received_at) -> tuple[Grade, float]:
    """Grade one response and price it; raises ``ValidationFailed`` if it is malformed."""
    result = grade(version, response)
    return result, fmt.answer_points(answer_context(round_, attempt, received_at, result))


def attempt_totals(fmt, attempt, scored: dict[int, tuple[bool, float]]) -> tuple[float, int, int]:
    """(score, correct_count, answered_count) from ``{version_id: (correct, points)}``."""
    in_order = [scored.get(vid) for vid in attempt.question_order]
    score = fmt.attempt_score(in_order)
    correct = sum(1 for a in in_order if a is not None and a[0])
    answered = sum(1 for a in in_order if a is not None)
    return score, correct, answered


__all__ = ["answer_context", "attempt_totals", "format_for", "score_response"]
