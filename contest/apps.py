from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestConfig(AppConfig):
    name = "contest"
    verbose_name = _("Cuộc thi")

    def ready(self):
        from contest import scope, scoring  # noqa: F401 - registers the scoring formats
        from core.nav import register_nav
        from core.roles import Role

        scope.register()
        from django.contrib.auth.signals import user_logged_in

        from contest.first_signin import on_signed_in

        user_logged_in.connect(on_signed_in, dispatch_uid="contest_first_signin")
        register_nav(_("Vòng thi"), "contest:rounds", Role.STUDENT, weight=20)
        register_nav(_("Bài tập lớp"), "contest:class_rounds", Role.TEACHER, Role.COORDINATOR, weight=42)
        register_nav(_("Quản lý cuộc thi"), "contest:manage", Role.ORGANISER, weight=40)
