from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizbankConfig(AppConfig):
    name = "quizbank"
    verbose_name = _("Ngân hàng câu hỏi")

    def ready(self):
        from core.nav import register_nav
        from core.roles import Role
        from quizbank import scope  # noqa: F401 - registers the scope rule of Question

        register_nav(_("Ngân hàng câu hỏi"), "quizbank:bank", Role.TEACHER, Role.COORDINATOR, Role.ORGANISER, weight=40)
