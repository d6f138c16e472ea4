"""Small helpers shared by the contest tests."""

import datetime

from django.utils import timezone

from contest import services
from quizbank.models import QuestionVersion
from tests.contest import factories as cf


def versions_of(attempt) -> list:
    by_id = {v.pk: v for v in QuestionVersion.objects.filter(pk__in=attempt.question_order)}
    return [by_id[v] for v in attempt.question_order]


def take(user, round_, *, correct: int, at=None, predict=None, submit_after_s: float | None = 60, submit=True):
    """Start an attempt at ``at``, answer ``correct`` questions right and the rest wrong,
    maybe predict, and submit ``submit_after_s`` seconds after the start."""
    at = at or timezone.now()
    attempt = services.attempt_start(user=user, round_=round_, now=at)
    for i, version in enumerate(versions_of(attempt)):
        response = cf.correct_response(version) if i < correct else cf.wrong_response(version)
        services.answer_save(
            user=user, attempt_id=attempt.pk, version_id=version.pk, response=response,
            received_at=at + datetime.timedelta(seconds=1 + i),
        )  # fmt: skip
    if predict is not None:
        services.attempt_predict(user=user, attempt_id=attempt.pk, value=predict, now=at)
    if submit:
        services.attempt_submit(user=user, attempt_id=attempt.pk, now=at + datetime.timedelta(seconds=submit_after_s))
    attempt.refresh_from_db()
    return attempt
