"""The answer write path's service: one row per question, idempotent, logged, server-timed."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from contest import services
from contest.models import Answer, AnswerLog, Attempt
from contest.policies import ANSWER_GRACE
from contest.services.answers import SaveRequest, answers_save_batch
from core.errors import Conflict, DomainError, NotFound, ValidationFailed
from quizbank.models import QuestionVersion
from tests.contest import factories as cf

pytestmark = pytest.mark.django_db


def _setup(w, **kw):
    r = cf.round_(w, **kw)
    attempt = services.attempt_start(user=w.students[0], round_=r)
    versions = {v.pk: v for v in QuestionVersion.objects.filter(pk__in=attempt.question_order)}
    return r, attempt, [versions[v] for v in attempt.question_order]


def save(w, attempt, version, response, at=None, user=None):
    return services.answer_save(
        user=user or w.students[0],
        attempt_id=attempt.pk,
        version_id=version.pk,
        response=response,
        received_at=at or timezone.now(),
    )


def test_save_then_change_keeps_one_row_and_logs_every_change(w):
    _r, attempt, versions = _setup(w)
    v = versions[0]
    first = save(w, attempt, v, cf.wrong_response(v))
    again = save(w, attempt, v, cf.wrong_response(v))
    changed = save(w, attempt, v, cf.correct_response(v))
    assert (first.changed, again.changed, changed.changed) == (True, False, True)
    assert Answer.objects.filter(attempt=attempt).count() == 1
    row = Answer.objects.get(attempt=attempt)
    assert row.correct and row.points == 10
    log = list(AnswerLog.objects.filter(attempt=attempt).values_list("response", flat=True))
    assert log == [cf.wrong_response(v), cf.correct_response(v)]  # the repeat added nothing
    attempt.refresh_from_db()
    assert (attempt.score, attempt.correct_count, attempt.answered_count) == (10, 1, 1)


def test_a_save_received_before_the_stored_one_is_logged_but_does_not_win(w):
    """Two devices: the later save reached the database first (another batch or process)."""
    _r, attempt, versions = _setup(w)
    v = versions[0]
    t = timezone.now()
    later = save(w, attempt, v, cf.correct_response(v), at=t)
    earlier = save(w, attempt, v, cf.wrong_response(v), at=t - datetime.timedelta(milliseconds=300))
    assert later.changed and not earlier.changed
    row = Answer.objects.get(attempt=attempt)
    assert row.response == cf.correct_response(v) and row.received_at == t
    log = list(AnswerLog.objects.filter(attempt=attempt).order_by("received_at").values_list("response", flat=True))
    assert log == [cf.wrong_response(v), cf.correct_response(v)]
    attempt.refresh_from_db()
    assert (attempt.score, attempt.correct_count) == (10, 1)


def test_feedback_is_empty_while_the_policy_hides_results(w):
    _r, attempt, versions = _setup(w, reveal_during=0)
    result = save(w, attempt, versions[0], cf.correct_response(versions[0]))
    assert result.feedback == {}


def test_feedback_follows_a_policy_that_shows_correctness(w):
    _r, attempt, versions = _setup(w, reveal_during=2, reveal_after_attempt=2, reveal_after_close=4, practice=True)
    result = save(w, attempt, versions[0], cf.correct_response(versions[0]))
    assert result.feedback == {"score": 10.0, "correct": True, "points": 10.0}


def test_extra_keys_are_dropped_and_text_is_bounded(w):
    _r, attempt, versions = _setup(w, shuffle_questions=False)
    v = versions[0]
    save(w, attempt, v, {**cf.correct_response(v), "client_time": 123, "correct": True})
    assert set(Answer.objects.get(attempt=attempt).response) == set(cf.correct_response(v))


@pytest.mark.parametrize(
    ("response", "code"),
    [("a string", "bad_response"), ({"choice": "zz-unknown"}, "bad_response"), ({}, "bad_response")],
)
def test_bad_responses_are_refused_and_change_nothing(w, response, code):
    _r, attempt, versions = _setup(w, shuffle_questions=False)
    v = next(v for v in versions if v.qtype == "single")
    with pytest.raises(ValidationFailed) as exc:
        save(w, attempt, v, response)
    assert exc.value.code == code
    assert not Answer.objects.exists() and not AnswerLog.objects.exists()


def test_foreign_attempt_and_foreign_question_are_refused(w):
    _r, attempt, versions = _setup(w)
    with pytest.raises(NotFound):
        save(w, attempt, versions[0], cf.correct_response(versions[0]), user=w.students[1])
    stranger = cf.questions(1)[0].current_version
    with pytest.raises(ValidationFailed) as exc:
        save(w, attempt, stranger, cf.correct_response(stranger))
    assert exc.value.code == "not_in_attempt"
    assert not Answer.objects.exists()


def test_late_answers_are_refused_at_deadline_plus_grace_plus_1ms(w):
    _r, attempt, versions = _setup(w)
    edge = attempt.deadline + ANSWER_GRACE
    with time_machine.travel(edge, tick=False):
        ok = save(w, attempt, versions[0], cf.correct_response(versions[0]), at=timezone.now())
    assert ok.changed
    with time_machine.travel(edge + datetime.timedelta(milliseconds=1), tick=False), pytest.raises(Conflict) as exc:
        save(w, attempt, versions[1], cf.correct_response(versions[1]), at=timezone.now())
    assert exc.value.code == "late"
    assert list(Answer.objects.values_list("question_version_id", flat=True)) == [versions[0].pk]


def test_a_batch_keeps_the_good_saves_and_reports_the_bad(w):
    _r, attempt, versions = _setup(w)
    now = timezone.now()
    uid = w.students[0].pk
    requests = [
        SaveRequest(uid, attempt.pk, versions[0].pk, cf.wrong_response(versions[0]), now),
        SaveRequest(uid, attempt.pk, versions[1].pk, "garbage", now),
        SaveRequest(uid, attempt.pk + 999, versions[1].pk, {}, now),
        SaveRequest(uid, attempt.pk, versions[0].pk, cf.correct_response(versions[0]), now),  # later wins
        SaveRequest(uid, attempt.pk, versions[2].pk, cf.correct_response(versions[2]), now),
    ]
    results = answers_save_batch(requests)
    assert [isinstance(r, DomainError) for r in results] == [False, True, True, False, False]
    assert Answer.objects.count() == 2
    assert Answer.objects.get(question_version=versions[0]).correct
    # Every change is logged, even one superseded within the same batch, in arrival order.
    assert list(AnswerLog.objects.filter(question_version=versions[0]).values_list("response", flat=True)) == [
        cf.wrong_response(versions[0]),
        cf.correct_response(versions[0]),
    ]
    assert [r.changed for i, r in enumerate(results) if i in (0, 3, 4)] == [True, True, True]
    attempt.refresh_from_db()
    assert attempt.answered_count == 2 and attempt.score == 20


def test_closed_attempts_take_no_more_answers(w):
    _r, attempt, versions = _setup(w)
    services.attempt_submit(user=w.students[0], attempt_id=attempt.pk)
    with pytest.raises(Conflict) as exc:
        save(w, attempt, versions[0], cf.correct_response(versions[0]))
    assert exc.value.code == "attempt_closed"


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_score_once(w):
    """Eight threads (own connections) save the same answer at once: one row, one log line,
    the score counted once."""
    _r, attempt, versions = _setup(w)
    v = versions[0]
    now = timezone.now()
    barrier = threading.Barrier(8)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.extend(
                answers_save_batch([SaveRequest(w.students[0].pk, attempt.pk, v.pk, cf.correct_response(v), now)])
            )
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert sum(1 for r in results if r.changed) == 1
    assert Answer.objects.filter(attempt=attempt).count() == 1
    assert AnswerLog.objects.filter(attempt=attempt).count() == 1
    assert Attempt.objects.get(pk=attempt.pk).score == 10


def test_answers_of_a_live_round_only_go_through_the_game(w):
    r, attempt, versions = _setup(w)
    r.mode = "live"
    r.save(update_fields=["mode"])
    with pytest.raises(Conflict) as exc:
        save(w, attempt, versions[0], cf.correct_response(versions[0]))
    assert exc.value.code == "wrong_mode"
    assert not Answer.objects.filter(attempt=attempt).exists()
    with pytest.raises(Conflict):
        services.rescore_round(round_id=r.pk)
