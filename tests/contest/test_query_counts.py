"""The answer write path's queries do not grow with the batch (a hot path: pinned here)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contest import services, versions
from contest.services.answers import SaveRequest, answers_save_batch
from tests.contest import factories as cf
from tests.contest.helpers import versions_of

pytestmark = pytest.mark.django_db


def _batch(attempts) -> list[SaveRequest]:
    now = timezone.now()
    return [SaveRequest(a.user_id, a.pk, v.pk, cf.correct_response(v), now) for a in attempts for v in versions_of(a)]


def test_a_window_answer_batch_costs_the_same_queries_for_2_or_8_students():
    w = cf.world(students=10)
    r = cf.round_(w, n_questions=5)
    attempts = [services.attempt_start(user=u, round_=r) for u in w.students]
    counts = []
    for group in (attempts[:2], attempts[2:10]):
        requests = _batch(group)
        versions.forget()  # each batch reads the question versions once
        with CaptureQueriesContext(connection) as ctx:
            results = answers_save_batch(requests)
        assert all(r.changed for r in results)
        counts.append(len(ctx.captured_queries))
    # SAVEPOINT; lock the attempts; their rounds; the question versions; the stored answers of
    # the saved pairs; INSERT answers; INSERT log lines; UPDATE attempts (one executemany);
    # RELEASE. (SQLite; on PostgreSQL the three writes are one statement.)
    expected = 9 if connection.vendor == "sqlite" else 7
    assert counts == [expected, expected]
