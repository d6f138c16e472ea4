from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Trò chơi trực tiếp")

    def ready(self):
        from core.nav import register_nav
        from core.roles import Role
        from live import scope, scoring  # noqa: F401 - scoring registers the "elimination" format

        scope.register()
        register_nav(_("Trò chơi trực tiếp"), "live:home", Role.TEACHER, Role.COORDINATOR, Role.ORGANISER, weight=45)
        register_nav(_("Vào chơi"), "live:join", "anonymous", weight=15)
        register_nav(_("Vào chơi"), "live:join", Role.STUDENT, weight=15)
