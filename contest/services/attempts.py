"""Starting, predicting, submitting and closing attempts of window rounds.

The server clock decides everything: ``now`` defaults to ``timezone.now()`` and is a parameter
only so tests and the clock can pass the same instant to several calls.
"""

import datetime
import random

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from contest import events, hooks
from contest.models import Attempt, AttemptStatus, Round, RoundMode, Selection
from contest.policies import attempts_allowed, is_late, late_cutoff
from contest.scope import may_play
from contest.services.draw import draw_versions
from contest.services.standings import recount_user
from core.errors import Conflict, NotFound, ValidationFailed
from core.roles import check_scope
from schools.selectors import student_of

MAX_PREDICTION = 10_000_000


def choice_order(version, rng: random.Random, shuffle: bool) -> list[str] | None:
    """The stored choice order of one question for one attempt (None: as written)."""
    ids = [c["id"] for c in version.choices]
    if not ids or version.qtype == "truefalse":
        return None
    if version.qtype == "ordering":
        # The stored order is the answer, so an ordering question is always shuffled, and
        # never shown already solved.
        order = ids[:]
        for _attempt in range(10):
            rng.shuffle(order)
            if order != ids or len(ids) < 2:
                break
        return order
    if not shuffle:
        return None
    order = ids[:]
    rng.shuffle(order)
    return order


def _paper(round_: Round, rng: random.Random) -> tuple[list[int], dict[str, list[str]]]:
    """The attempt's question versions in order and the choice order of each."""
    if round_.selection == Selection.RANDOM:
        versions = draw_versions(round_, rng)
    else:
        versions = [rq.question_version for rq in round_.round_questions.select_related("question_version")]
    if not versions:
        raise Conflict(_("Vòng thi chưa có câu hỏi."), code="no_questions")
    if round_.shuffle_questions:
        rng.shuffle(versions)
    orders = {}
    for version in versions:
        order = choice_order(version, rng, round_.shuffle_choices)
        if order is not None:
            orders[str(version.pk)] = order
    return [v.pk for v in versions], orders


def attempt_start(*, user, round_: Round, now: datetime.datetime | None = None) -> Attempt:
    """Start an attempt, or return the one already running (a reload or a second device).

    Fixes the question order, the choice orders and the deadline
    (min(start + duration, round close)), all stored. Concurrent starts by the same student
    (two clicks, two devices) end with one attempt: the partial unique constraint on
    in-progress attempts and the unique attempt number refuse the second insert, which then
    returns the winner's attempt.
    """
    check_scope(user, round_, "view")
    if not may_play(user, round_):
        raise ValidationFailed(_("Chỉ học sinh thuộc đối tượng dự thi mới làm bài được."), code="not_a_contestant")
    if round_.mode != RoundMode.WINDOW:
        raise Conflict(_("Vòng thi này không làm bài theo khung giờ."), code="wrong_mode")
    now = now or timezone.now()
    running = attempt_running(user=user, round_=round_, now=now)
    if running is not None:
        return running
    if now < round_.opens_at:
        raise Conflict(_("Vòng thi chưa mở."), code="not_open")
    if now >= round_.closes_at:
        raise Conflict(_("Vòng thi đã đóng."), code="closed")
    taken = round_.attempts.filter(user=user).aggregate(n=Max("number"))["n"] or 0
    allowed = attempts_allowed(round_)
    if allowed is not None and taken >= allowed:
        raise Conflict(_("Bạn đã dùng hết số lượt thi của vòng này."), code="no_attempts_left")
    rng = random.Random()
    try:
        with transaction.atomic():
            order, choice_orders = _paper(round_, rng)
            attempt = Attempt.objects.create(
                round=round_,
                user=user,
                student=student_of(user),
                number=taken + 1,
                question_order=order,
                choice_orders=choice_orders,
                started_at=now,
                deadline=min(now + datetime.timedelta(seconds=round_.duration_s), round_.closes_at),
            )
    except IntegrityError:
        running = Attempt.objects.filter(round=round_, user=user, status=AttemptStatus.IN_PROGRESS).first()
        if running is None:
            raise Conflict(_("Lượt thi đang được tạo, vui lòng thử lại."), code="retry") from None
        return running
    return attempt


def attempt_running(*, user, round_: Round, now: datetime.datetime | None = None) -> Attempt | None:
    """The user's in-progress attempt of the round, closing it first if its time is up."""
    attempt = Attempt.objects.filter(round=round_, user=user, status=AttemptStatus.IN_PROGRESS).first()
    if attempt is not None and attempt_close_if_due(attempt=attempt, now=now):
        return None
    return attempt


def own_attempt_locked(user, attempt_id: int) -> Attempt:
    """Lock and return the user's attempt (``FOR NO KEY UPDATE``: answers may still reference
    it); NotFound for anyone else's. Call inside ``transaction.atomic``."""
    attempt = (
        Attempt.objects.select_for_update(no_key=True, of=("self",))
        .select_related("round")
        .filter(pk=attempt_id)
        .first()
    )
    if attempt is None or attempt.user_id != user.pk:
        raise NotFound(_("Không tìm thấy lượt thi."))
    return attempt


@transaction.atomic
def attempt_predict(*, user, attempt_id: int, value, now: datetime.datetime | None = None) -> Attempt:
    """Record the prediction; once per attempt, before it ends."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PREDICTION:
        raise ValidationFailed(
            _("Dự đoán phải là một số nguyên từ 0 đến %(max)s.") % {"max": f"{MAX_PREDICTION:,}".replace(",", ".")},
            code="bad_prediction",
            fields={"value": [_("Nhập một số nguyên không âm.")]},
        )
    now = now or timezone.now()
    attempt = own_attempt_locked(user, attempt_id)
    if not attempt.round.prediction_kind:
        raise Conflict(_("Vòng thi này không có câu hỏi dự đoán."), code="no_prediction")
    if attempt.status != AttemptStatus.IN_PROGRESS or is_late(now, attempt.deadline):
        raise Conflict(_("Lượt thi đã kết thúc."), code="attempt_closed")
    if attempt.prediction is not None:
        if attempt.prediction == value:
            return attempt  # the same answer sent twice is harmless
        raise Conflict(_("Bạn đã trả lời câu hỏi dự đoán; chỉ được trả lời một lần."), code="prediction_set")
    attempt.prediction = value
    attempt.save(update_fields=["prediction"])
    return attempt


def attempt_close_locked(attempt: Attempt, *, status: str, ended_at: datetime.datetime, now: datetime.datetime) -> None:
    """End a locked, in-progress attempt. Its answers are already scored (see answers.py)."""
    ended_at = min(ended_at, attempt.deadline)
    attempt.status = status
    attempt.submitted_at = ended_at
    attempt.closed_at = now
    attempt.time_used_ms = max(0, int((ended_at - attempt.started_at).total_seconds() * 1000))
    attempt.save(update_fields=["status", "submitted_at", "closed_at", "time_used_ms"])
    recount_user(attempt.round, attempt.user_id)
    hooks.attempts_changed([attempt])
    events.attempt_closed(attempt)


@transaction.atomic
def attempt_submit(*, user, attempt_id: int, now: datetime.datetime | None = None) -> Attempt:
    """Submit explicitly. Idempotent: submitting a closed attempt returns it unchanged.

    After the deadline and its grace the attempt is closed as expired instead, with the answers
    saved in time (the server clock decides, not the moment the click arrives).
    """
    now = now or timezone.now()
    attempt = own_attempt_locked(user, attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return attempt
    if is_late(now, attempt.deadline):
        attempt_close_locked(attempt, status=AttemptStatus.EXPIRED, ended_at=attempt.deadline, now=now)
        return attempt
    if attempt.round.prediction_kind and attempt.prediction is None:
        raise Conflict(_("Hãy trả lời câu hỏi dự đoán trước khi nộp bài."), code="prediction_required")
    attempt_close_locked(attempt, status=AttemptStatus.SUBMITTED, ended_at=now, now=now)
    return attempt


def attempt_close_if_due(*, attempt: Attempt, now: datetime.datetime | None = None) -> bool:
    """Close the attempt as expired if its deadline and grace have passed; True if it did.

    Safe to call from any number of processes: the attempt is re-read under a row lock (on
    SQLite, inside the write lock) and closed only if it is still in progress, so each
    attempt is closed exactly once.
    """
    now = now or timezone.now()
    if attempt.status != AttemptStatus.IN_PROGRESS or not is_late(now, attempt.deadline):
        return False
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(no_key=True, of=("self",))
            .select_related("round")
            .filter(pk=attempt.pk, status=AttemptStatus.IN_PROGRESS)
            .first()
        )
        if locked is None:
            attempt.refresh_from_db()
            return False
        attempt_close_locked(locked, status=AttemptStatus.EXPIRED, ended_at=locked.deadline, now=now)
    attempt.refresh_from_db()
    return True


def attempts_close_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Close every attempt whose deadline and grace have passed (the clock's job).

    Each attempt is closed in its own short transaction, skipping rows another process holds
    (it is closing them). Returns how many this call closed.
    """
    now = now or timezone.now()
    due = list(
        Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, deadline__lt=late_cutoff(now))
        .order_by("deadline")
        .values_list("pk", flat=True)[:limit]
    )
    closed = 0
    for pk in due:
        with transaction.atomic():
            locked = (
                Attempt.objects.select_for_update(no_key=True, skip_locked=True, of=("self",))
                .select_related("round")
                .filter(pk=pk, status=AttemptStatus.IN_PROGRESS)
                .first()
            )
            if locked is None:
                continue
            attempt_close_locked(locked, status=AttemptStatus.EXPIRED, ended_at=locked.deadline, now=now)
            closed += 1
    return closed
