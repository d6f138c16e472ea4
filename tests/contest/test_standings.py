"""Final standings at close (the prediction tiebreak, shared ranks), re-scoring reproduces
every stored number, disqualification, and the on_attempt_changed hook."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from contest import hooks, services
from contest.models import Answer, Attempt, Round
from quizbank.models import QuestionVersion
from tests.contest import factories as cf
from tests.contest.helpers import take
from tests.schools import factories as sf

pytestmark = pytest.mark.django_db


def more_students(w, n):
    return [sf.student(w.school, w.klass, username=f"st{w.contest.pk}_{i}").user for i in range(n)]


def finalize(r):
    services.round_finalize(round_id=r.pk, now=r.closes_at + datetime.timedelta(seconds=10))
    r.refresh_from_db()


def test_prediction_tiebreak_then_time_then_submit(w):
    r = cf.round_(w, n_questions=4, prediction_kind="all_correct")
    a, b, c, d, e = more_students(w, 5)
    t0 = timezone.now() - datetime.timedelta(hours=1)
    # Two students answer everything correctly: the actual value is 2.
    take(a, r, correct=4, predict=10, at=t0, submit_after_s=100)  # error 8
    take(b, r, correct=4, predict=3, at=t0, submit_after_s=300)  # error 1: beats a despite being slower
    take(c, r, correct=3, predict=2, at=t0, submit_after_s=50)  # error 0, but a lower score
    take(d, r, correct=3, predict=2, at=t0, submit_after_s=40)  # same score and error as c, faster
    take(e, r, correct=3, predict=2, at=t0, submit_after_s=40)  # ties d exactly on score, error, time
    Attempt.objects.filter(user=e).update(submitted_at=Attempt.objects.get(user=d).submitted_at)
    finalize(r)
    assert r.prediction_actual == 2
    ranked = {x.user_id: (x.rank, x.prediction_error) for x in Attempt.objects.filter(round=r)}
    assert ranked[b.pk] == (1, 1)
    assert ranked[a.pk] == (2, 8)
    assert ranked[d.pk] == ranked[e.pk] == (3, 0)  # a true tie shares the rank...
    assert ranked[c.pk] == (5, 0)  # ...and the next rank skips: 1, 2, 3, 3, 5


def test_participants_prediction_counts_one_per_student(w):
    r = cf.round_(w, attempts_policy="unlimited", prediction_kind="participants")
    a, b = more_students(w, 2)
    take(a, r, correct=1, predict=2)
    take(a, r, correct=2, predict=5, at=timezone.now() + datetime.timedelta(minutes=30))
    take(b, r, correct=1, predict=9)
    finalize(r)
    assert r.prediction_actual == 2
    errors = dict(Attempt.objects.filter(round=r, counted=True).values_list("user_id", "prediction_error"))
    assert errors == {a.pk: 3, b.pk: 7}  # a's counted (best) attempt predicted 5


def test_rescore_reproduces_every_stored_number(w):
    r = cf.round_(
        w, n_questions=6, prediction_kind="all_correct", scoring_format="speed", scoring_config={"streak_bonus": 50}
    )
    students = more_students(w, 6)
    t0 = timezone.now() - datetime.timedelta(minutes=50)
    for i, s in enumerate(students):
        take(s, r, correct=i % 7, predict=i, at=t0 + datetime.timedelta(minutes=i), submit_after_s=30 + 10 * i)
    finalize(r)

    def snapshot():
        return (
            sorted(Answer.objects.filter(attempt__round=r).values_list("pk", "correct", "fraction", "points")),
            sorted(
                Attempt.objects.filter(round=r).values_list(
                    "pk", "score", "correct_count", "answered_count", "counted", "rank", "prediction_error"
                )
            ),
            Round.objects.get(pk=r.pk).prediction_actual,
        )

    before = snapshot()
    assert services.rescore_round(round_id=r.pk)["attempts_changed"] == 0  # nothing to fix
    # Corrupt what scoring stored, as a bug or a hand edit would; re-scoring restores it.
    Answer.objects.filter(attempt__round=r).update(points=0, correct=False, fraction=0)
    Attempt.objects.filter(round=r).update(score=0, rank=None, counted=False, prediction_error=None)
    result = services.rescore_round(round_id=r.pk)
    assert result["answers_changed"] > 0 and result["attempts_changed"] == 6
    assert snapshot() == before


def test_rescore_after_a_config_change_changes_scores(w):
    r = cf.round_(w, n_questions=3)
    take(w.students[0], r, correct=2)
    services.round_update(user=w.organiser, round_=r, scoring_config={"points_per_question": 5})
    assert Attempt.objects.get(round=r).score == 10


def test_disqualify_moves_the_counted_rank_and_needs_a_reason(w):
    r = cf.round_(w, n_questions=3)
    a, b = more_students(w, 2)
    first = take(a, r, correct=3)
    take(b, r, correct=2)
    finalize(r)
    from core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.attempt_disqualify(attempt_id=first.pk, reason="  ")
    services.attempt_disqualify(attempt_id=first.pk, reason="Thi hộ")
    ranks = dict(Attempt.objects.filter(round=r).values_list("user_id", "rank"))
    assert ranks == {a.pk: None, b.pk: 1}
    services.attempt_disqualify(attempt_id=first.pk, disqualified=False)
    assert dict(Attempt.objects.filter(round=r).values_list("user_id", "rank")) == {a.pk: 1, b.pk: 2}


@pytest.mark.django_db(transaction=True)
def test_hooks_run_after_commit_for_each_change(w):
    r = cf.round_(w, n_questions=2, reveal_during=1, reveal_after_attempt=1, practice=True)
    seen = []

    def follower(attempt):
        # After the commit: a fresh read sees what the callback was told.
        seen.append((attempt.pk, attempt.status, Attempt.objects.get(pk=attempt.pk).score, attempt.score))

    hooks.on_attempt_changed(follower)
    try:
        with transaction.atomic():
            attempt = take(w.students[0], r, correct=1, submit=False)
            assert seen == []  # nothing before the commit
        assert len(seen) == 2  # two answers saved with live scoring
        services.attempt_submit(user=w.students[0], attempt_id=attempt.pk)
        assert seen[-1][1] == "submitted"
        assert all(fresh == told for _pk, _s, fresh, told in seen[-1:])
    finally:
        hooks.remove(follower)


def test_no_hooks_for_answers_while_scores_are_hidden(w):
    r = cf.round_(w, n_questions=2, reveal_during=0)
    seen = []
    hooks.on_attempt_changed(seen.append)
    try:
        with transaction.atomic():
            take(w.students[0], r, correct=1, submit=False)
        assert seen == []
    finally:
        hooks.remove(seen.append)


def test_finalizing_a_round_fills_the_question_statistics(w):
    from quizbank.models import Question

    r = cf.round_(w, attempts_policy="one")
    students = (w.students + more_students(w, 3))[:3]
    for i, student in enumerate(students):
        attempt = services.attempt_start(user=student, round_=r)
        for version in QuestionVersion.objects.filter(pk__in=attempt.question_order):
            # the first two answer everything right, the third everything wrong
            response = cf.correct_response(version) if i < 2 else cf.wrong_response(version)
            services.answer_save(
                user=student,
                attempt_id=attempt.pk,
                version_id=version.pk,
                response=response,
                received_at=timezone.now(),
            )
        services.attempt_submit(user=student, attempt_id=attempt.pk)
    finalize(r)
    questions = Question.objects.filter(versions__pk__in=attempt.question_order).distinct()
    assert questions.count() == len(attempt.question_order)
    for question in questions:
        assert question.times_used == 1
        assert question.answer_count == 3
        assert question.facility == pytest.approx(2 / 3, abs=1e-4)
    services.rescore_round(round_id=r.pk)  # re-scoring replaces the round's record
    assert {(q.times_used, q.answer_count) for q in questions.all()} == {(1, 3)}
