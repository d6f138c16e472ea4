"""Attempts policies (one; at most N, best counts; unlimited, best then earliest), practice
rounds, prediction once, submit rules."""

import datetime

import pytest
from django.utils import timezone

from contest import services
from contest.models import Attempt
from core.errors import Conflict, ValidationFailed
from tests.contest import factories as cf
from tests.contest.helpers import take

pytestmark = pytest.mark.django_db


def counted(round_, user):
    return list(Attempt.objects.filter(round=round_, user=user, counted=True).values_list("number", flat=True))


def test_one_attempt(w):
    r = cf.round_(w, attempts_policy="one")
    take(w.students[0], r, correct=3)
    with pytest.raises(Conflict) as exc:
        services.attempt_start(user=w.students[0], round_=r)
    assert exc.value.code == "no_attempts_left"
    assert counted(r, w.students[0]) == [1]


def test_at_most_n_and_the_best_counts(w):
    r = cf.round_(w, attempts_policy="max_n", max_attempts=2)
    s = w.students[0]
    now = timezone.now()
    take(s, r, correct=2, at=now)
    assert counted(r, s) == [1]
    take(s, r, correct=4, at=now + datetime.timedelta(minutes=20))
    assert counted(r, s) == [2]
    with pytest.raises(Conflict):
        services.attempt_start(user=s, round_=r)
    assert Attempt.objects.filter(round=r, user=s).count() == 2


def test_unlimited_best_then_earliest(w):
    r = cf.round_(w, attempts_policy="unlimited")
    s = w.students[0]
    now = timezone.now()
    take(s, r, correct=3, at=now)
    take(s, r, correct=4, at=now + datetime.timedelta(minutes=20))
    take(s, r, correct=4, at=now + datetime.timedelta(minutes=40), submit_after_s=5)  # equal score, later
    take(s, r, correct=1, at=now + datetime.timedelta(minutes=60))
    assert counted(r, s) == [2]  # the best, and among equal bests the earliest submitted


def test_practice_rounds_never_count(w):
    r = cf.round_(w, attempts_policy="unlimited", practice=True)
    take(w.students[0], r, correct=5)
    assert not Attempt.objects.filter(round=r, counted=True).exists()
    services.round_finalize(round_id=r.pk, now=r.closes_at + datetime.timedelta(minutes=1))
    assert not Attempt.objects.filter(round=r, rank__isnull=False).exists()


def test_prediction_once_and_required_before_submit(w):
    r = cf.round_(w, prediction_kind="all_correct")
    s = w.students[0]
    attempt = services.attempt_start(user=s, round_=r)
    with pytest.raises(Conflict) as exc:
        services.attempt_submit(user=s, attempt_id=attempt.pk)
    assert exc.value.code == "prediction_required"
    for bad in (-1, "12", 1.5, True, None):
        with pytest.raises(ValidationFailed):
            services.attempt_predict(user=s, attempt_id=attempt.pk, value=bad)
    services.attempt_predict(user=s, attempt_id=attempt.pk, value=120)
    services.attempt_predict(user=s, attempt_id=attempt.pk, value=120)  # the same twice is harmless
    with pytest.raises(Conflict) as exc:
        services.attempt_predict(user=s, attempt_id=attempt.pk, value=121)
    assert exc.value.code == "prediction_set"
    services.attempt_submit(user=s, attempt_id=attempt.pk)
    assert Attempt.objects.get(pk=attempt.pk).prediction == 120


def test_submit_is_idempotent_and_times_come_from_the_server(w):
    r = cf.round_(w, duration_s=600)
    s = w.students[0]
    start = timezone.now()
    attempt = services.attempt_start(user=s, round_=r, now=start)
    first = services.attempt_submit(user=s, attempt_id=attempt.pk, now=start + datetime.timedelta(seconds=75))
    second = services.attempt_submit(user=s, attempt_id=attempt.pk, now=start + datetime.timedelta(seconds=99))
    assert first.status == second.status == "submitted"
    assert second.time_used_ms == 75_000
    assert second.submitted_at == start + datetime.timedelta(seconds=75)


def test_submit_after_the_grace_closes_as_expired_at_the_deadline(w):
    r = cf.round_(w, duration_s=60)
    s = w.students[0]
    start = timezone.now()
    attempt = services.attempt_start(user=s, round_=r, now=start)
    late = services.attempt_submit(user=s, attempt_id=attempt.pk, now=start + datetime.timedelta(seconds=300))
    assert late.status == "expired"
    assert late.submitted_at == attempt.deadline
    assert late.time_used_ms == 60_000


def test_another_student_cannot_submit_or_predict(w):
    r = cf.round_(w, prediction_kind="participants")
    attempt = services.attempt_start(user=w.students[0], round_=r)
    from core.errors import NotFound

    with pytest.raises(NotFound):
        services.attempt_submit(user=w.students[1], attempt_id=attempt.pk)
    with pytest.raises(NotFound):
        services.attempt_predict(user=w.students[1], attempt_id=attempt.pk, value=3)
    assert Attempt.objects.get(pk=attempt.pk).status == "in_progress"
