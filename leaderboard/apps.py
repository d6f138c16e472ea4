from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeaderboardConfig(AppConfig):
    name = "leaderboard"
    verbose_name = _("Bảng xếp hạng")

    def ready(self):
        from contest.hooks import on_attempt_changed
        from core.nav import register_nav
        from core.roles import Role
        from leaderboard.boards.sync import attempt_changed

        on_attempt_changed(attempt_changed)
        del register_nav, Role  # nav entries come with the pages
