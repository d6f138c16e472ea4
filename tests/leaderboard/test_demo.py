"""The demo seed publishes the demo contest's closed round once (idempotent)."""

import datetime
import io

import pytest

from core.demo import DEMO_ACCOUNTS, ensure_demo_user
from leaderboard import demo
from leaderboard.models import Publication
from tests.leaderboard import factories as f

pytestmark = pytest.mark.django_db


def test_seed_publishes_once():
    out = io.StringIO()
    demo.seed(out)
    assert "nothing to publish" in out.getvalue()
    ensure_demo_user(next(a for a in DEMO_ACCOUNTS if a.username == "bantochuc"))
    w = f.world(communes=1, schools_per_commune=1)
    from django.contrib.auth import get_user_model

    from schools.services import membership_grant

    membership_grant(user=get_user_model().objects.get(username="bantochuc"), role="organiser", region=w["province"])
    c = f.contest(w["province"], is_demo=True)
    r = f.round_(c, name="Tuần 1", opens=datetime.datetime(2026, 10, 10, tzinfo=datetime.UTC))
    f.attempt(r, f.pupil(w["schools"][0], w["classes"][0]), score=10)
    demo.seed(io.StringIO())
    assert Publication.objects.filter(contest=c).count() == 2
    demo.seed(io.StringIO())
    assert Publication.objects.filter(contest=c).count() == 2
    assert set(Publication.objects.values_list("kind", flat=True)) == {"school", "individual"}
