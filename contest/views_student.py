"""Student pages: my rounds, a round, the attempt page, the result page.

Thin: they read through the selectors and write through the same services as the API.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contest import selectors, services
from contest.models import Attempt, AttemptStatus, Reveal, Round
from contest.policies import ANSWER_GRACE, attempts_left, board_reveal_level, reveal_level
from contest.presentation import ms, round_payload
from contest.scope import may_play
from contest.scoring.registry import format_for
from core import pagecache
from core.errors import DomainError
from core.http import domain_errors
from core.roles import check_scope, in_scope
from schools.selectors import student_of

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def display_questions(state: dict) -> list[dict]:
    """Add what the template shows but the payload does not carry: numbers, letters, which
    choices the saved response picked, True/False labels, the saved order of an ordering."""
    out = []
    for n, q in enumerate(state["questions"], start=1):
        response = q.get("response") or {}
        chosen = set(response.get("choices") or []) | ({response["choice"]} if response.get("choice") else set())
        choices = q["choices"]
        if q["type"] == "ordering" and response.get("order"):
            by_id = {c["id"]: c for c in choices}
            choices = [by_id[i] for i in response["order"] if i in by_id]
        correct = set(q.get("correct_choices") or [])
        shown = []
        for i, c in enumerate(choices):
            label = c["html"]
            if q["type"] == "truefalse":
                label = _("Đúng") if c.get("truth") else _("Sai")
            shown.append(
                {
                    **c,
                    "letter": LETTERS[i % 26],
                    "label": label,
                    "checked": c["id"] in chosen,
                    "is_correct": c["id"] in correct,
                }
            )
        out.append({**q, "n": n, "display_choices": shown, "text": response.get("text", response.get("value", ""))})
    return out


def _round(request, pk: int) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("contest__region"), pk=pk)
    check_scope(request.user, round_, "view")
    return round_


def _shared_round(request, pk: int) -> Round:
    """``_round`` through the page cache: every pupil of a contest night opens the same round.
    Its finalization and every edit go through services that bump ``ROUNDS``."""
    round_ = pagecache.cached(
        pagecache.ROUNDS, f"round:{pk}", lambda: Round.objects.select_related("contest__region").filter(pk=pk).first()
    )
    if round_ is None:
        raise Http404
    check_scope(request.user, round_, "view")
    return round_


@login_required
@domain_errors
def rounds(request):
    groups = selectors.student_rounds(request.user)
    return render(
        request,
        "contest/rounds.html",
        {"groups": groups, "is_student": student_of(request.user) is not None, "now": timezone.now()},
    )


@login_required
@domain_errors
def round_detail(request, pk: int):
    round_ = _shared_round(request, pk)
    services.round_finalize_if_due(round_)
    playable = may_play(request.user, round_)
    attempts = selectors.user_attempts(request.user, round_)
    # The running attempt is among them (one query less than ``attempt_running``).
    running = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None) if playable else None
    if running is not None and services.attempt_close_if_due(attempt=running):
        running = None
    left = attempts_left(round_, len(attempts))
    return render(
        request,
        "contest/round_detail.html",
        {
            "round": round_,
            "playable": playable,
            "running": running,
            "attempts": attempts,
            "attempts_left": left,
            # Which attempt counts is the best one: it tells scores apart, so only at the score level.
            "show_counted": board_reveal_level(round_) >= Reveal.SCORE,
            "can_start": playable and running is None and round_.is_open() and (left is None or left > 0),
            "manages": in_scope(request.user, round_, "manage"),
        },
    )


@login_required
@domain_errors
@require_POST
def round_start(request, pk: int):
    round_ = _round(request, pk)
    try:
        attempt = services.attempt_start(user=request.user, round_=round_)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("contest:round", pk=round_.pk)
    return redirect("contest:attempt", pk=attempt.pk)


def _own_attempt(request, pk: int) -> Attempt:
    attempt = get_object_or_404(Attempt.objects.select_related("round__contest__region"), pk=pk)
    check_scope(request.user, attempt, "view")
    return attempt


@login_required
@domain_errors
def attempt_page(request, pk: int):
    attempt = _own_attempt(request, pk)
    if attempt.user_id != request.user.pk:
        raise Http404
    services.attempt_close_if_due(attempt=attempt)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect("contest:attempt_result", pk=attempt.pk)
    state = selectors.attempt_state(attempt)
    questions = display_questions(state)
    flagged = set(attempt.flagged or [])
    for q in questions:
        q["flagged"] = q["id"] in flagged
    # The question the pupil was on (stored by services.navigation), on any device.
    current = attempt.position if 1 <= attempt.position <= len(questions) else 1
    if attempt.round.prediction_kind and attempt.position == len(questions) + 1:
        current = "prediction"
    config = {
        "round": attempt.round_id,
        "attempt": attempt.pk,
        "ws": f"/ws/contest/rounds/{attempt.round_id}/",
        "api": reverse("contest-api:attempt", args=[attempt.pk]),
        "csrf": None,  # read from the cookie by the script
        "deadline": ms(attempt.deadline),
        "grace_ms": int(ANSWER_GRACE.total_seconds() * 1000),
        "server_now": ms(timezone.now()),
        "result_url": reverse("contest:attempt_result", args=[attempt.pk]),
        "prediction_kind": attempt.round.prediction_kind,
        "prediction": attempt.prediction,
        "navigation": reverse("contest-api:navigation", args=[attempt.pk]),
        "total": len(questions),
    }
    return render(
        request,
        "contest/attempt.html",
        {
            "attempt": attempt,
            "round": attempt.round,
            "prediction_text": attempt.round.prediction_text(attempt.question_order),
            "state": state,
            "questions": questions,
            "current": current,
            "config": config,
            "round_info": round_payload(attempt.round),
        },
    )


@login_required
@domain_errors
def attempt_result(request, pk: int):
    attempt = _own_attempt(request, pk)
    services.attempt_close_if_due(attempt=attempt)
    services.round_finalize_if_due(attempt.round)
    attempt.refresh_from_db()
    if attempt.status == AttemptStatus.IN_PROGRESS:
        if attempt.user_id == request.user.pk and timezone.now() < attempt.deadline:
            return redirect("contest:attempt", pk=attempt.pk)
        # Time is up but the grace for answers in flight is not over: the page reloads itself.
        return render(request, "contest/closing.html", {"attempt": attempt, "round": attempt.round})
    own = attempt.user_id == request.user.pk
    # Staff reviewing an attempt see everything; a student sees what the reveal policy allows.
    level = reveal_level(attempt.round, attempt) if own else Reveal.EXPLANATIONS
    state = selectors.attempt_state(attempt, level=level)
    return render(
        request,
        "contest/result.html",
        {
            "attempt": attempt,
            "round": attempt.round,
            "state": state,
            "questions": display_questions(state),
            "own": own,
            "time_used_s": attempt.time_used_ms / 1000 if attempt.time_used_ms is not None else None,
            "duration_s": attempt.round.duration_s,
            # What a full paper earns in this format (None for a format without a ceiling).
            "max_score": format_for(attempt.round).max_score(state["total"]),
            "show": {
                "score": level >= Reveal.SCORE,
                "correctness": level >= Reveal.CORRECTNESS,
                "answers": level >= Reveal.ANSWERS,
                "explanations": level >= Reveal.EXPLANATIONS,
            },
            "final": attempt.round.finalized_at is not None,
        },
    )
