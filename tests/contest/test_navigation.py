"""The pupil's place in the paper and the review flags, stored on the attempt: the service,
the REST endpoint, the attempt page that reopens the same question, and the result page's
"score / maximum" summary."""

import pytest
from django.urls import reverse

from contest.models import Attempt
from contest.services.navigation import attempt_navigate
from core.errors import Conflict, NotFound, ValidationFailed
from tests.contest import factories as cf
from tests.contest.helpers import take

pytestmark = pytest.mark.django_db


def _started(w, **round_overrides):
    from contest import services

    r = cf.round_(w, n_questions=4, **round_overrides)
    return services.attempt_start(user=w.students[0], round_=r)


def test_position_and_flags_are_stored(w):
    attempt = _started(w)
    user = w.students[0]
    second, fourth = attempt.question_order[1], attempt.question_order[3]
    attempt_navigate(user=user, attempt_id=attempt.pk, position=3)
    attempt_navigate(user=user, attempt_id=attempt.pk, question=fourth, flagged=True)
    attempt_navigate(user=user, attempt_id=attempt.pk, question=second, flagged=True)
    attempt.refresh_from_db()
    assert attempt.position == 3
    assert attempt.flagged == [second, fourth]  # in paper order, whatever the click order
    attempt_navigate(user=user, attempt_id=attempt.pk, question=fourth, flagged=False)
    attempt_navigate(user=user, attempt_id=attempt.pk, question=second, flagged=True)  # twice: harmless
    attempt.refresh_from_db()
    assert attempt.flagged == [second]


def test_bad_navigation_is_refused_and_changes_nothing(w):
    attempt = _started(w)
    user = w.students[0]
    for kwargs in (
        {"position": 0},
        {"position": 5},  # four questions, no prediction question
        {"question": 999_999, "flagged": True},
        {"question": attempt.question_order[0]},
        {},
    ):
        with pytest.raises(ValidationFailed):
            attempt_navigate(user=user, attempt_id=attempt.pk, **kwargs)
    with pytest.raises(NotFound):
        attempt_navigate(user=w.students[1], attempt_id=attempt.pk, position=2)
    attempt.refresh_from_db()
    assert attempt.position == 1 and attempt.flagged == []


def test_prediction_question_is_the_last_position(w):
    attempt = _started(w, prediction_kind="participants")
    attempt_navigate(user=w.students[0], attempt_id=attempt.pk, position=5)
    assert Attempt.objects.get(pk=attempt.pk).position == 5


def test_navigation_refused_once_the_attempt_ended(w):
    from contest import services

    attempt = _started(w)
    services.attempt_submit(user=w.students[0], attempt_id=attempt.pk)
    with pytest.raises(Conflict):
        attempt_navigate(user=w.students[0], attempt_id=attempt.pk, position=2)


def test_navigation_api(client, w):
    attempt = _started(w)
    url = reverse("contest-api:navigation", args=[attempt.pk])
    client.force_login(w.students[0])
    r = client.post(url, {"position": 2}, content_type="application/json")
    assert r.status_code == 200 and r.json()["position"] == 2
    q = attempt.question_order[2]
    r = client.post(url, {"question": q, "flagged": True}, content_type="application/json")
    assert r.json() == {"position": 2, "flagged": [q]}
    r = client.post(url, {"position": 99}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_position"
    # The snapshot (REST state, socket) carries both, so a second device opens the same place.
    state = client.get(reverse("contest-api:attempt", args=[attempt.pk])).json()
    assert state["position"] == 2 and state["flagged"] == [q]
    # Another pupil's attempt does not exist for them.
    client.force_login(w.students[1])
    assert client.post(url, {"position": 1}, content_type="application/json").status_code == 404


def test_attempt_page_opens_the_stored_question_with_its_flags(client, w):
    attempt = _started(w)
    flagged = attempt.question_order[1]
    attempt_navigate(user=w.students[0], attempt_id=attempt.pk, position=3, question=flagged, flagged=True)
    client.force_login(w.students[0])
    html = client.get(reverse("contest:attempt", args=[attempt.pk])).content.decode()
    assert 'id="q-3" data-n="3"' in html
    shown = [n for n in range(1, 5) if f'id="q-{n}" data-n="{n}"' in html and _section_visible(html, n)]
    assert shown == [3]
    assert 'aria-pressed="true"' in _flag_button(html, 2)
    assert 'aria-pressed="false"' in _flag_button(html, 1)
    assert f'data-goto="2" data-question="{flagged}" class=" flagged"' in html


def _section_visible(html: str, n: int) -> bool:
    start = html.index(f'<section class="question card" id="q-{n}"')
    return " hidden>" not in html[start : html.index(">", start) + 1]


def _flag_button(html: str, n: int) -> str:
    end = html.index(f'data-testid="flag-{n}"')
    start = html.rindex("<button", 0, end)
    return html[start : html.index(">", end) + 1]


def test_result_shows_score_out_of_the_maximum_and_time_used(client, w):
    r = cf.round_(w, n_questions=3, reveal_after_attempt=2)
    attempt = take(w.students[0], r, correct=2, submit_after_s=95)
    client.force_login(w.students[0])
    html = client.get(reverse("contest:attempt_result", args=[attempt.pk])).content.decode()
    assert '<span data-testid="score">20</span> / <span data-testid="score-max">30</span>' in html
    assert 'data-testid="correct-count">2/3<' in html
    assert 'data-testid="time-used">1 phút 35 giây / 15 phút<' in html


def test_result_hides_the_maximum_with_the_score(client, w):
    r = cf.round_(w, n_questions=3, reveal_after_attempt=0, reveal_after_close=4)
    attempt = take(w.students[0], r, correct=2, submit_after_s=30)
    client.force_login(w.students[0])
    html = client.get(reverse("contest:attempt_result", args=[attempt.pk])).content.decode()
    assert 'data-testid="score-max"' not in html and 'data-testid="correct-count"' not in html
