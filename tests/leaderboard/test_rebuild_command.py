"""``manage.py rebuild_boards`` brings the boards back identical after Redis is flushed
mid-round (only this install's keys are flushed: other installs share the server)."""

import pytest
from django.core.management import CommandError, call_command

from contest.models import Reveal
from leaderboard.boards import get_backend
from leaderboard.boards import sync as boards
from tests.leaderboard import factories as f
from tests.leaderboard.conftest import flush_boards

pytestmark = pytest.mark.django_db


def snapshot(contest, rounds):
    backend = get_backend()
    return {s: backend.dump(s) for s in [boards.contest_scope(contest.pk)] + [boards.round_scope(r.pk) for r in rounds]}


def build():
    w = f.world(communes=2, schools_per_commune=2)
    c = f.contest(w["province"])
    r1 = f.round_(c, name="Tuần 1")
    r2 = f.round_(c, name="Tuần 2", opens=r1.closes_at, reveal_during=Reveal.SCORE)
    practice = f.round_(c, name="Thi thử", practice=True)
    for i, (school, klass) in enumerate(zip(w["schools"], w["classes"], strict=True)):
        for j in range(3):
            p = f.pupil(school, klass, f"Học Sinh {i} {j}")
            f.attempt(r1, p, score=10 * ((i + j) % 4), time_s=100 + 10 * j)
            f.attempt(practice, p, score=5.5, time_s=50)
            if j:
                f.attempt(r2, p, score=2.5 * j, status="in_progress", started=r2.opens_at)
    return c, [r1, r2, practice]


@pytest.mark.parametrize("option", ["all", "contest", "round"])
def test_flush_mid_round_then_rebuild_is_identical(option):
    c, rounds = build()
    before = snapshot(c, rounds)
    assert before[f"c{c.pk}"] and before[f"r{rounds[1].pk}"]
    flush_boards()
    assert all(not v for v in snapshot(c, rounds).values())
    if option == "all":
        call_command("rebuild_boards")
    elif option == "contest":
        call_command("rebuild_boards", "--contest", str(c.pk))
    else:
        # The contest totals went with the flush, so one round cannot be rebuilt alone: the
        # command rebuilds its whole contest.
        call_command("rebuild_boards", "--round", str(rounds[1].pk))
    assert snapshot(c, rounds) == before


def test_rebuild_of_a_round_keeps_contest_totals_exact():
    c, rounds = build()
    before = snapshot(c, rounds)
    call_command("rebuild_boards", "--round", str(rounds[0].pk))
    call_command("rebuild_boards", "--round", str(rounds[0].pk))
    assert snapshot(c, rounds) == before


def test_unknown_ids_are_refused():
    with pytest.raises(CommandError):
        call_command("rebuild_boards", "--round", "999999")
    with pytest.raises(CommandError):
        call_command("rebuild_boards", "--contest", "999999")


@pytest.mark.redis
def test_flush_touches_only_this_installs_keys(redis_url):
    backend = get_backend()
    assert backend.name == "redis"
    backend.client.set("someone-else:key", b"1")
    try:
        build()
        flush_boards()
        assert backend.client.get("someone-else:key") == b"1"
    finally:
        backend.client.delete("someone-else:key")
