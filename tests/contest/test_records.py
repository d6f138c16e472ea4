"""The contest's write API for other apps (``contest.services.records``): what a live game
calls instead of writing ``Answer``, ``AnswerLog`` and ``Attempt`` rows itself."""

import datetime

import pytest
from django.utils import timezone

from contest import services
from contest.models import Answer, AnswerLog, Attempt, AttemptStatus
from contest.policies import AnswerPolicy
from contest.services import AnswerRow, UnownedAttempt
from tests.contest import factories as cf

pytestmark = pytest.mark.django_db


def _attempt(w):
    r = cf.round_(w)
    return r, services.attempt_start(user=w.students[0], round_=r)


def _row(attempt, response, at, *, correct=True, points=1.0):
    return AnswerRow(attempt.pk, attempt.question_order[0], response, at, correct, 1.0 if correct else 0.0, points)


@pytest.mark.parametrize(
    ("policy", "kept"),
    [(AnswerPolicy.FIRST_FINAL, {"choice": "a"}), (AnswerPolicy.LAST_WINS, {"choice": "b"})],
)
def test_answers_write_keeps_the_answer_its_policy_names_and_logs_both(w, policy, kept):
    _r, attempt = _attempt(w)
    first = timezone.now()
    services.answers_write(rows=[_row(attempt, {"choice": "a"}, first)], policy=policy, source="live")
    services.answers_write(
        rows=[_row(attempt, {"choice": "b"}, first + datetime.timedelta(seconds=1), correct=False, points=0.0)],
        policy=policy,
        source="live",
    )
    (answer,) = Answer.objects.filter(attempt=attempt)
    assert answer.response == kept
    assert answer.points == (1.0 if kept == {"choice": "a"} else 0.0)
    assert list(AnswerLog.objects.filter(attempt=attempt).values_list("response", "source")) == [
        ({"choice": "a"}, "live"),
        ({"choice": "b"}, "live"),
    ]


def test_attempts_created_unowned_have_no_user_and_keep_the_order(w):
    r = cf.round_(w)
    now = timezone.now()
    specs = [UnownedAttempt(r.pk, None, [3, 1, 2], {"1": ["a", "b"]}, now, False) for _ in range(3)]
    made = services.attempts_create_unowned(specs=specs)
    assert len(made) == 3 and all(a.pk for a in made)
    stored = Attempt.objects.filter(pk__in=[a.pk for a in made])
    assert {(a.user_id, tuple(a.question_order), a.deadline) for a in stored} == {(None, (3, 1, 2), None)}


def test_totals_and_the_ranked_close(w):
    r, attempt = _attempt(w)
    other = services.attempt_start(user=w.students[1], round_=r)
    services.attempts_set_totals(rows=[(2.5, 2, 3, attempt.pk)])
    attempt.refresh_from_db()
    assert (attempt.score, attempt.correct_count, attempt.answered_count) == (2.5, 2, 3)

    now = timezone.now()
    closed = services.round_close_ranked(round_=r, standings={attempt.pk: (1, 4200)}, now=now)
    assert {a.pk for a in closed} == {attempt.pk, other.pk}
    attempt.refresh_from_db()
    other.refresh_from_db()
    r.refresh_from_db()
    assert (attempt.status, attempt.rank, attempt.time_used_ms, attempt.counted) == (
        AttemptStatus.SUBMITTED,
        1,
        4200,
        r.counts,
    )
    assert (other.status, other.rank, other.counted) == (AttemptStatus.EXPIRED, None, False)
    assert r.finalized_at == now
