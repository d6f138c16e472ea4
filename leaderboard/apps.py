from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeaderboardConfig(AppConfig):
    name = "leaderboard"
    verbose_name = _("Bảng xếp hạng")

    def ready(self):
        from contest.hooks import attempt_changed, round_changed
        from core.nav import register_nav
        from core.roles import Role
        from leaderboard.boards.sync import attempt_followed, round_followed

        attempt_changed.connect(attempt_followed, dispatch_uid="leaderboard.boards")
        round_changed.connect(round_followed, dispatch_uid="leaderboard.boards.round")
        register_nav(_("Kết quả"), "leaderboard:index", weight=70)
        register_nav(_("Xếp hạng"), "leaderboard:review_list", Role.ORGANISER, weight=45)
