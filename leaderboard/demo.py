"""Demo data: publish the school and individual rankings of the demo contest's closed round.

Idempotent: a ranking already published for that round is left as it is (publishing again
would only add a version). Runs after the contest app's seed (``INSTALLED_APPS`` order).
"""

from django.contrib.auth import get_user_model

from contest.models import Contest, Round
from contest.services import round_finalize_if_due
from leaderboard import services
from leaderboard.boards import sync
from leaderboard.models import Publication
from leaderboard.scopes import Filters, ranking_scope


def seed(out) -> None:
    contest = Contest.objects.filter(is_demo=True).order_by("pk").first()
    publisher = get_user_model().objects.filter(username="bantochuc").first()
    if contest is None or publisher is None:
        out.write("  leaderboard: no demo contest or organiser yet; nothing to publish")
        return
    closed = None
    for round_ in Round.objects.filter(contest=contest, practice=False).order_by("closes_at"):
        round_finalize_if_due(round_)
        if round_.finalized_at is not None:
            closed = round_
    sync.rebuild_contest(contest)
    if closed is None:
        out.write("  leaderboard: the demo contest has no closed round yet")
        return
    scope = ranking_scope(contest, [closed.pk])
    for kind, metric in (("school", "participation_rate"), ("individual", "")):
        series = services.series_of(scope, kind, metric, 5 if metric else None, Filters())
        if Publication.objects.filter(contest=contest, series=series).exists():
            continue
        pub = services.ranking_publish(
            user=publisher, scope=scope, kind=kind, filters=Filters(), metric=metric, top_k=5, is_demo=True
        )
        out.write(f"  leaderboard: published {pub.title} (v{pub.version})")
