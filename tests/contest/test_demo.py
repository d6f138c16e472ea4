"""seed_demo adds a yearly contest with one open and one closed round with results."""

import io

import pytest
from django.core.management import call_command

from contest.models import Attempt, Contest, Round

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seed_demo_contest_is_complete_and_idempotent():
    call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())
    contest = Contest.objects.get(is_demo=True)
    assert contest.region.code == "86" and contest.opens_at.month == 10
    rounds = {r.name: r for r in Round.objects.filter(contest=contest)}
    assert rounds["Tuần 2"].is_open() and rounds["Tuần 1"].finalized_at is not None
    closed = Attempt.objects.filter(round=rounds["Tuần 1"])
    assert closed.count() >= 20 and not closed.filter(status="in_progress").exists()
    assert sorted(closed.filter(counted=True).values_list("rank", flat=True))[0] == 1
    assert rounds["Tuần 1"].prediction_actual is not None
    assert closed.filter(user__username="hocsinh").exists()
    # giaovien's class round: for hocsinh's class only, outside the contest, done by classmates.
    homework = Round.objects.get(name="Bài tập lớp: An toàn trên mạng")
    assert homework.contest_id is None and homework.owner.username == "giaovien" and homework.is_open()
    assert [c.name for c in homework.classes.all()] == ["9A1"]
    assert homework.attempts.filter(status="submitted").count() >= 3
    assert not homework.attempts.filter(user__username="hocsinh").exists()
    before = (Contest.objects.count(), Round.objects.count(), Attempt.objects.count())
    call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())
    assert (Contest.objects.count(), Round.objects.count(), Attempt.objects.count()) == before
