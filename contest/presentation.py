"""What a student sees of a round and an attempt, cut to the reveal policy.

Every payload a student receives (REST, websocket, page) is built here, from
``quizbank.presentation.student_payload`` (which never carries correctness) plus what the
reveal level allows (``contest.policies.reveal_level``). DESIGN invariant 4 lives here.
"""

import copy
import threading

from django.urls import reverse

from contest.models import Reveal
from contest.policies import attempts_left, reveal_level
from quizbank.presentation import correct_response, reveal_payload, student_payload

_payloads: dict[int, dict] = {}
_lock = threading.Lock()


def ms(dt) -> int | None:
    return None if dt is None else int(dt.timestamp() * 1000)


def question_payload(version, choice_order: list[str] | None) -> dict:
    """``student_payload`` with the attempt's stored choice order, rendered once per version.

    Versions used by rounds never change, so the rendered Markdown is cached per process.
    """
    with _lock:
        base = _payloads.get(version.pk)
    if base is None:
        base = student_payload(version)
        if version.used:
            with _lock:
                if len(_payloads) > 5000:
                    _payloads.clear()
                _payloads[version.pk] = base
    payload = copy.copy(base)
    if choice_order:
        by_id = {c["id"]: c for c in base["choices"]}
        payload["choices"] = [by_id[i] for i in choice_order if i in by_id]
    return payload


def forget() -> None:
    """Empty the rendered-question cache (tests, whose rolled-back ids come back)."""
    with _lock:
        _payloads.clear()


def round_payload(round_, *, taken: int | None = None) -> dict:
    data = {
        "id": round_.pk,
        "name": round_.name,
        "contest": round_.contest.name if round_.contest_id else None,
        "opens_at": ms(round_.opens_at),
        "closes_at": ms(round_.closes_at),
        "duration_s": round_.duration_s,
        "state": round_.state(),
        "practice": round_.practice,
        "prediction_kind": round_.prediction_kind,
        "prediction_label": round_.prediction_text(),
        "attempts_policy": round_.attempts_policy,
    }
    if taken is not None:
        data["attempts_taken"] = taken
        data["attempts_left"] = attempts_left(round_, taken)
    return data


def answer_feedback(round_, attempt, version, correct: bool, points: float) -> dict:
    """What a student may learn from one saved answer while the attempt runs."""
    level = reveal_level(round_, attempt)
    out: dict = {}
    if level >= Reveal.SCORE:
        out["score"] = attempt.score
    if level >= Reveal.CORRECTNESS:
        out["correct"] = correct
        out["points"] = points
    if level >= Reveal.ANSWERS:
        out["correct_response"] = correct_response(version)
    if level >= Reveal.EXPLANATIONS:
        out["explanation_html"] = reveal_payload(version)["explanation_html"]
    return out


def attempt_payload(attempt, versions: dict, answers: dict, *, level: int | None = None) -> dict:
    """The full state of an attempt for its student: questions in the stored order, saved
    responses, the server deadline, and results as far as the reveal level allows.

    ``versions``: {id: QuestionVersion}; ``answers``: {version_id: Answer}.
    """
    round_ = attempt.round
    level = reveal_level(round_, attempt) if level is None else level
    questions = []
    for vid in attempt.question_order:
        version = versions[vid]
        q = question_payload(version, attempt.choice_orders.get(str(vid)))
        answer = answers.get(vid)
        q["response"] = answer.response if answer is not None else None
        q["saved_at"] = ms(answer.received_at) if answer is not None else None
        if answer is not None and level >= Reveal.CORRECTNESS:
            q["correct"] = answer.correct
            q["points"] = answer.points
        elif level >= Reveal.CORRECTNESS and not attempt.is_open:
            # Unanswered once the attempt has ended: wrong, and it earned nothing (not "unmarked").
            q["correct"] = False
            q["points"] = 0.0
        if level >= Reveal.ANSWERS:
            reveal = reveal_payload(version)
            q["correct_response"] = reveal["correct"]
            q["correct_choices"] = reveal["correct_choices"]
            if level >= Reveal.EXPLANATIONS:
                q["explanation_html"] = reveal["explanation_html"]
        questions.append(q)
    data = {
        "id": attempt.pk,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": ms(attempt.started_at),
        "deadline": ms(attempt.deadline),
        "submitted_at": ms(attempt.submitted_at),
        "answered": attempt.answered_count,
        "total": len(attempt.question_order),
        "prediction": attempt.prediction,
        "position": attempt.position,
        "flagged": list(attempt.flagged or []),
        "questions": questions,
        "reveal": int(level),
        "result_url": reverse("contest:attempt_result", args=[attempt.pk]),
    }
    if level >= Reveal.SCORE:
        data["score"] = attempt.score
        data["time_used_ms"] = attempt.time_used_ms
    if level >= Reveal.CORRECTNESS:
        data["correct_count"] = attempt.correct_count
    if attempt.rank is not None and round_.finalized_at is not None and level >= Reveal.SCORE:
        data["rank"] = attempt.rank
        data["prediction_error"] = attempt.prediction_error
    return data
