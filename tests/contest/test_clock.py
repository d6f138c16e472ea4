"""Auto-close with no browser: the clock (command and function), once per transition."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from contest import clock, services
from contest.models import Attempt, Round
from tests.contest import factories as cf
from tests.contest.helpers import take, versions_of


@pytest.mark.django_db
def test_run_clock_closes_an_abandoned_attempt_with_its_saved_answers(w, capsys):
    r = cf.round_(w, duration_s=60)
    s = w.students[0]
    start = timezone.now() - datetime.timedelta(minutes=5)  # started, answered, and the tab was closed
    attempt = services.attempt_start(user=s, round_=r, now=start)
    v = versions_of(attempt)[0]
    services.answer_save(
        user=s, attempt_id=attempt.pk, version_id=v.pk, response=cf.correct_response(v),
        received_at=start + datetime.timedelta(seconds=10),
    )  # fmt: skip
    call_command("run_clock", "--once")
    attempt.refresh_from_db()
    assert attempt.status == "expired"
    assert attempt.submitted_at == attempt.deadline == start + datetime.timedelta(seconds=60)
    assert attempt.time_used_ms == 60_000
    assert attempt.score == 10 and attempt.counted
    assert "1 attempts closed" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_clock_waits_for_the_grace(w):
    r = cf.round_(w, duration_s=60)
    start = timezone.now()
    attempt = services.attempt_start(user=w.students[0], round_=r, now=start)
    assert clock.tick(now=attempt.deadline + datetime.timedelta(seconds=1))["attempts_closed"] == 0
    assert clock.tick(now=attempt.deadline + datetime.timedelta(seconds=2, milliseconds=1))["attempts_closed"] == 1
    assert clock.tick(now=attempt.deadline + datetime.timedelta(seconds=5))["attempts_closed"] == 0


@pytest.mark.django_db
def test_opening_a_page_closes_what_is_due_without_the_clock(w):
    r = cf.round_(w, duration_s=60)
    attempt = services.attempt_start(user=w.students[0], round_=r, now=timezone.now() - datetime.timedelta(minutes=2))
    assert services.attempt_running(user=w.students[0], round_=r) is None
    attempt.refresh_from_db()
    assert attempt.status == "expired"


@pytest.mark.django_db
def test_round_finalize_stores_standings_once(w):
    r = cf.round_(w)
    take(w.students[0], r, correct=5)
    running = services.attempt_start(user=w.students[1], round_=r)
    after = r.closes_at + datetime.timedelta(seconds=10)
    assert clock.tick(now=after) == {"attempts_closed": 1, "rounds_finalized": 1}
    r.refresh_from_db()
    assert r.finalized_at == after
    running.refresh_from_db()
    assert running.status == "expired"
    assert list(Attempt.objects.filter(round=r).order_by("rank").values_list("rank", flat=True)) == [1, 2]
    assert clock.tick(now=after + datetime.timedelta(seconds=5)) == {"attempts_closed": 0, "rounds_finalized": 0}


@pytest.mark.django_db(transaction=True)
def test_concurrent_clocks_close_each_attempt_once(w, monkeypatch):
    """Four clock passes race over the same due attempts: each attempt is closed exactly once
    (by an attempt pass or by the round's finalization), and the round is finalized once."""
    from contest import events

    closes = []
    monkeypatch.setattr(events, "attempt_closed", lambda attempt: closes.append(attempt.pk))
    r = cf.round_(w, duration_s=30)
    extra = [cf.sf.student(w.school, w.klass, username=f"race{i}").user for i in range(6)]
    start = timezone.now() - datetime.timedelta(minutes=1)
    for u in [*w.students, *extra]:
        services.attempt_start(user=u, round_=r, now=start)
    Round.objects.filter(pk=r.pk).update(closes_at=start + datetime.timedelta(seconds=40))
    results = []
    barrier = threading.Barrier(4)

    def worker():
        try:
            barrier.wait()
            results.append(clock.tick())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 4
    assert sum(res["rounds_finalized"] for res in results) == 1
    assert Attempt.objects.filter(round=r, status="expired").count() == 8
    assert sorted(closes) == sorted(set(closes)) and len(closes) == 8
