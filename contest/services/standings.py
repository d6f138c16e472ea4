"""Which attempt counts, the final standings at close, re-scoring and disqualification.

Standings live on the attempts (``counted``, ``prediction_error``, ``rank``), so a ranking is
one ordered query. They are computed by ``_standings_store`` from stored rows only, so
``rescore_round`` reproduces them exactly.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest import events, hooks
from contest.models import Answer, Attempt, AttemptStatus, PredictionKind, Round, RoundMode
from contest.policies import FINALIZE_DELAY
from contest.scoring import Standing, format_for, ranks
from contest.services.grading import attempt_totals, score_response
from contest.services.records import attempts_update_many
from contest.versions import versions_by_id
from core import pagecache
from core.errors import Conflict, ValidationFailed

CLOSED = (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED)


def _best_key(attempt: Attempt) -> tuple:
    """The attempt that counts for a student: the best score, then the earliest submitted."""
    return (-attempt.score, attempt.submitted_at or datetime.datetime.max.replace(tzinfo=datetime.UTC), attempt.pk)


def standing(attempt: Attempt) -> Standing:
    return Standing(
        score=attempt.score,
        time_used_ms=attempt.time_used_ms,
        submitted_at_ms=int(attempt.submitted_at.timestamp() * 1000) if attempt.submitted_at else None,
        prediction_error=attempt.prediction_error,
    )


def recount_user(round_: Round, user_id: int | None) -> None:
    """Mark the one attempt that counts for ``user_id`` in ``round_`` (attempts policy).

    Practice rounds never count; disqualified attempts never count. Call inside the
    transaction that changed one of the user's attempts.
    """
    if user_id is None:
        return
    attempts = list(
        Attempt.objects.filter(round=round_, user_id=user_id, status__in=CLOSED).only(
            "pk", "score", "submitted_at", "counted", "disqualified"
        )
    )
    eligible = [a for a in attempts if not a.disqualified] if round_.counts else []
    best = min(eligible, key=_best_key).pk if eligible else None
    Attempt.objects.filter(round=round_, user_id=user_id).exclude(pk=best).filter(counted=True).update(counted=False)
    if best is not None:
        Attempt.objects.filter(pk=best, counted=False).update(counted=True)


def _actual(round_: Round, counted: list[Attempt]) -> int | None:
    if round_.prediction_kind == PredictionKind.PARTICIPANTS:
        return len(counted)
    if round_.prediction_kind == PredictionKind.ALL_CORRECT:
        return sum(1 for a in counted if a.question_order and a.correct_count == len(a.question_order))
    if round_.prediction_kind == PredictionKind.QUESTION:
        # The chosen question of the round's list, at the version the round uses.
        version_id = (
            round_.round_questions.filter(position=round_.prediction_question)
            .values_list("question_version_id", flat=True)
            .first()
        )
        if version_id is None:
            return None
        return Answer.objects.filter(
            attempt__in=[a.pk for a in counted], question_version_id=version_id, correct=True
        ).count()
    return None


def _standings_store(round_: Round) -> list[Attempt]:
    """Compute and store counted flags, the actual value, errors and ranks. Round locked."""
    attempts = list(Attempt.objects.filter(round=round_, status__in=CLOSED).order_by("pk"))
    best: dict[int, Attempt] = {}
    if round_.counts:
        for a in attempts:
            if a.disqualified or a.user_id is None:
                continue
            if a.user_id not in best or _best_key(a) < _best_key(best[a.user_id]):
                best[a.user_id] = a
    counted_ids = {a.pk for a in best.values()}
    counted = [a for a in attempts if a.pk in counted_ids]
    actual = _actual(round_, counted)
    for a in attempts:
        a.counted = a.pk in counted_ids
        a.prediction_error = abs(a.prediction - actual) if actual is not None and a.prediction is not None else None
        a.rank = None
    fmt = format_for(round_)
    for rank, a in ranks(counted, key=lambda a: fmt.rank_key(standing(a), final=True)):
        a.rank = rank
    attempts_update_many(
        fields=["counted", "prediction_error", "rank"],
        rows=[(a.counted, a.prediction_error, a.rank, a.pk) for a in attempts],
    )
    round_.prediction_actual = actual
    round_.save(update_fields=["prediction_actual"])
    pagecache.bump_on_commit(pagecache.ROUNDS)  # a re-score can change the actual count shown
    return attempts


def round_finalize(*, round_id: int, now: datetime.datetime | None = None) -> bool:
    """Close a window round for good: expire running attempts, store the final standings.

    Runs once per round: the round row is locked and ``finalized_at`` checked, so several
    clock processes (or a page visit racing the clock) finalize it exactly once. Returns True
    if this call finalized it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        round_ = Round.objects.select_for_update(no_key=True).filter(pk=round_id, finalized_at__isnull=True).first()
        if round_ is None or round_.mode != RoundMode.WINDOW or now < round_.closes_at + FINALIZE_DELAY:
            return False
        finalize_locked(round_, now=now)
    return True


def expire_running(round_: Round, *, now: datetime.datetime) -> int:
    """End every in-progress attempt of the locked ``round_`` at once, with the answers saved
    so far: expired, ended at their deadline or ``now``, whichever came first.

    One locking read and a few batched updates, whatever the number of attempts (the
    attempts' counted flags are left to ``_standings_store``, which recomputes them all).
    Returns how many it ended.
    """
    running = list(
        Attempt.objects.select_for_update(no_key=True)
        .filter(round=round_, status=AttemptStatus.IN_PROGRESS)
        .only("pk", "round_id", "user_id", "started_at", "deadline", "status")
    )
    rows = []
    for attempt in running:
        ended_at = min(now, attempt.deadline)
        time_used_ms = max(0, int((ended_at - attempt.started_at).total_seconds() * 1000))
        rows.append((AttemptStatus.EXPIRED, ended_at, now, time_used_ms, attempt.pk))
    attempts_update_many(fields=["status", "submitted_at", "closed_at", "time_used_ms"], rows=rows)
    return len(running)


def finalize_locked(round_: Round, *, now: datetime.datetime) -> int:
    """Finalize the locked window ``round_``: end its running attempts, store the standings
    and the question statistics, then tell the boards (``hooks.round_changed``) and every
    open socket of the round. Batched: the queries do not grow with the number of attempts.
    Returns how many running attempts it ended."""
    ended = expire_running(round_, now=now)
    _standings_store(round_)
    round_.finalized_at = now
    round_.save(update_fields=["finalized_at"])
    pagecache.bump_on_commit(pagecache.ROUNDS)
    question_stats_record(round_)
    hooks.round_changed_all(round_)  # the boards rebuild the round once, not once per attempt
    events.round_closed(round_)
    return ended


def question_stats_record(round_: Round) -> None:
    """Give the question bank this round's results, per question version: who saw it, their
    credit on it (0 when unanswered) and their total over the round (for discrimination).
    Window rounds do not time single questions, so no time is given. Idempotent per round:
    the bank replaces a round's earlier record, so re-scoring never double-counts."""
    from quizbank.services import stats_record

    attempts = list(
        Attempt.objects.filter(round=round_, status__in=CLOSED, disqualified=False).values_list("pk", "question_order")
    )
    credit: dict[tuple[int, int], float] = {
        (aid, vid): fraction
        for aid, vid, fraction in Answer.objects.filter(attempt__in=[a for a, _o in attempts]).values_list(
            "attempt_id", "question_version_id", "fraction"
        )
    }
    per_version: dict[int, list[dict]] = {}
    for aid, order in attempts:
        total = sum(credit.get((aid, vid), 0.0) for vid in order)
        for vid in order:
            per_version.setdefault(vid, []).append(
                {"fraction": credit.get((aid, vid), 0.0), "time_s": None, "total": total}
            )
    for version in versions_by_id(set(per_version)).values():
        stats_record(version=version, round_key=f"round-{round_.pk}", results=per_version[version.pk])


def rounds_finalize_due(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    due = Round.objects.filter(
        mode=RoundMode.WINDOW, finalized_at__isnull=True, closes_at__lt=now - FINALIZE_DELAY
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(due) if round_finalize(round_id=pk, now=now))


def round_finalize_if_due(round_: Round, now: datetime.datetime | None = None) -> None:
    """Opportunistic close on access (pages, API), so results never wait for the clock."""
    now = now or timezone.now()
    if round_.finalized_at is None and round_.closes_at is not None and now >= round_.closes_at + FINALIZE_DELAY:
        round_finalize(round_id=round_.pk, now=now)
        round_.refresh_from_db()


@transaction.atomic
def rescore_round(*, round_id: int) -> dict:
    """Re-grade every stored answer, recompute every attempt's totals and, for a finalized
    round, the standings. Uses only stored rows; run twice, it changes nothing the second time.

    Returns counts of what changed: ``{"answers", "attempts", "answers_changed",
    "attempts_changed"}``.
    """
    round_ = Round.objects.select_for_update(no_key=True).get(pk=round_id)
    if round_.mode != RoundMode.WINDOW:
        # Live answers are priced by the game's question clock: live.services.game_rescore.
        raise Conflict(_("Vòng thi này không làm bài theo khung giờ."), code="wrong_mode")
    fmt = format_for(round_)
    attempts = list(Attempt.objects.filter(round=round_).order_by("pk"))
    answers = list(Answer.objects.filter(attempt__round=round_).order_by("pk"))
    versions = versions_by_id({a.question_version_id for a in answers})
    by_attempt: dict[int, list[Answer]] = {}
    for ans in answers:
        by_attempt.setdefault(ans.attempt_id, []).append(ans)
    changed_answers, changed_attempts = [], []
    for attempt in attempts:
        attempt.round = round_
        scored = {}
        for ans in by_attempt.get(attempt.pk, []):
            try:
                result, points = score_response(
                    fmt, round_, attempt, versions[ans.question_version_id], ans.response, ans.received_at
                )
            except ValidationFailed:
                result, points = None, 0.0  # a response the question no longer accepts earns nothing
            new = (result.correct if result else False, result.fraction if result else 0.0, points)
            if (ans.correct, ans.fraction, ans.points) != new:
                ans.correct, ans.fraction, ans.points = new
                changed_answers.append(ans)
            scored[ans.question_version_id] = (new[0], new[2])
        totals = attempt_totals(fmt, attempt, scored)
        if (attempt.score, attempt.correct_count, attempt.answered_count) != totals:
            attempt.score, attempt.correct_count, attempt.answered_count = totals
            changed_attempts.append(attempt)
    Answer.objects.bulk_update(changed_answers, ["correct", "fraction", "points"], batch_size=500)
    Attempt.objects.bulk_update(changed_attempts, ["score", "correct_count", "answered_count"], batch_size=500)
    if round_.finalized_at is not None:
        before = {a.pk: (a.counted, a.rank, a.prediction_error) for a in attempts}
        stored = _standings_store(round_)
        changed_ids = {a.pk for a in changed_attempts}
        changed_ids |= {a.pk for a in stored if (a.counted, a.rank, a.prediction_error) != before[a.pk]}
        changed_attempts = [a for a in stored if a.pk in changed_ids]
        question_stats_record(round_)
    else:
        for user_id in {a.user_id for a in changed_attempts}:
            recount_user(round_, user_id)
    hooks.attempts_changed(changed_attempts)
    return {
        "answers": len(answers),
        "attempts": len(attempts),
        "answers_changed": len(changed_answers),
        "attempts_changed": len(changed_attempts),
    }


@transaction.atomic
def attempt_disqualify(*, attempt_id: int, disqualified: bool = True, reason: str = "") -> Attempt:
    """Disqualify (or reinstate) an attempt; the student's counted attempt and, for a
    finalized round, the standings are recomputed. Scope is checked by the caller."""
    reason = (reason or "").strip()
    if disqualified and not reason:
        raise ValidationFailed(
            _("Hãy ghi lý do loại kết quả."), code="reason_required", fields={"reason": [_("Bắt buộc.")]}
        )
    # Round first, then the attempt: the order round_finalize takes them in.
    round_id = Attempt.objects.values_list("round_id", flat=True).get(pk=attempt_id)
    round_ = Round.objects.select_for_update(no_key=True).get(pk=round_id)
    attempt = Attempt.objects.select_for_update(no_key=True).get(pk=attempt_id)
    attempt.round = round_
    if attempt.status == AttemptStatus.IN_PROGRESS:
        raise Conflict(_("Không thể loại một lượt thi đang làm bài."), code="attempt_open")
    attempt.disqualified = disqualified
    attempt.disqualified_reason = reason[:300] if disqualified else ""
    attempt.save(update_fields=["disqualified", "disqualified_reason"])
    if round_.finalized_at is not None:
        hooks.attempts_changed(_standings_store(round_))
    else:
        recount_user(round_, attempt.user_id)
        hooks.attempts_changed([attempt])
    attempt.refresh_from_db()
    return attempt
