"""The key never comes before the close while another attempt may follow, and the boards
(round and contest) wait for the score to be revealed."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from contest import services
from contest.models import Reveal, Round
from contest.policies import board_reveal_level, reveal_level
from core.errors import ValidationFailed
from tests.contest import factories as cf
from tests.contest.helpers import take


@pytest.mark.parametrize(
    ("policy", "max_attempts"),
    [("unlimited", None), ("max_n", 3)],
)
@pytest.mark.parametrize("level", [Reveal.ANSWERS, Reveal.EXPLANATIONS])
def test_setup_refuses_the_key_after_an_attempt_when_another_may_follow(w, policy, max_attempts, level):
    before = Round.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        cf.round_(w, attempts_policy=policy, max_attempts=max_attempts, reveal_after_attempt=level)
    assert "reveal_after_attempt" in exc.value.fields
    assert Round.objects.count() == before  # nothing changed
    # A round that exists is refused the same change.
    r = cf.round_(w, attempts_policy=policy, max_attempts=max_attempts, reveal_after_attempt=Reveal.CORRECTNESS)
    with pytest.raises(ValidationFailed) as exc:
        services.round_update(user=w.organiser, round_=r, reveal_after_attempt=level)
    assert "reveal_after_attempt" in exc.value.fields
    r.refresh_from_db()
    assert r.reveal_after_attempt == Reveal.CORRECTNESS


def test_the_key_after_an_attempt_stays_allowed_where_it_gives_nothing_away(w):
    one = cf.round_(w, attempts_policy="one", reveal_after_attempt=Reveal.EXPLANATIONS)
    once = cf.round_(w, attempts_policy="max_n", max_attempts=1, reveal_after_attempt=Reveal.EXPLANATIONS)
    practice = cf.round_(w, attempts_policy="unlimited", practice=True, reveal_after_attempt=Reveal.EXPLANATIONS)
    assert [r.reveal_after_attempt for r in (one, once, practice)] == [Reveal.EXPLANATIONS] * 3


def test_a_stored_round_keeps_the_key_until_the_close(w):
    """Rounds saved before the rule: the key waits for the close, and a second attempt
    cannot copy it."""
    r = cf.round_(w, n_questions=2, attempts_policy="unlimited")
    Round.objects.filter(pk=r.pk).update(reveal_after_attempt=Reveal.EXPLANATIONS)
    r.refresh_from_db()
    user = w.students[0]
    first = take(user, r, correct=0)
    assert reveal_level(r, first) == Reveal.CORRECTNESS
    client = Client()
    client.force_login(user)
    data = client.get(f"/api/contest/attempts/{first.pk}/").json()
    assert all("correct_response" not in q and "correct_choices" not in q for q in data["questions"])
    assert all(q["correct"] is False for q in data["questions"])
    Round.objects.filter(pk=r.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=10))
    r.refresh_from_db()
    assert reveal_level(r, first) == Reveal.EXPLANATIONS


@pytest.mark.django_db(transaction=True)
def test_contest_board_waits_while_a_counting_round_hides_scores(w):
    shown = cf.round_(w, n_questions=1, reveal_after_attempt=Reveal.SCORE)
    user = w.students[0]
    take(user, shown, correct=1)
    client = Client()
    client.force_login(user)
    url = f"/api/leaderboard/contests/{w.contest.pk}/board/"
    board = client.get(url).json()
    assert board["hidden"] is False and board["me"]["score"] == 10.0
    hidden = cf.round_(w, n_questions=1, reveal_after_attempt=Reveal.NOTHING, reveal_after_close=Reveal.EXPLANATIONS)
    assert board_reveal_level(hidden) == Reveal.NOTHING
    take(user, hidden, correct=1)
    board = client.get(url).json()
    assert board["hidden"] is True and board["me"] is None and board["top"] == [] and board["mine"] == {}
    # The organiser still sees the live board.
    staff = Client()
    staff.force_login(w.organiser)
    assert staff.get(url).json()["top"][0]["score"] == 20.0
    # Once the hidden round has closed, the pupils see it again.
    Round.objects.filter(pk=hidden.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=10))
    board = client.get(url).json()
    assert board["hidden"] is False and board["me"]["score"] == 20.0
