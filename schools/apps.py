from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Trường học")

    def ready(self):
        from core.nav import register_nav
        from core.roles import Role
        from schools import roles

        roles.register()
        register_nav(_("Lớp của tôi"), "schools:classes", Role.TEACHER, Role.COORDINATOR, weight=30)
        register_nav(_("Trường"), "schools:my_school", Role.COORDINATOR, weight=31)
        register_nav(_("Địa bàn"), "schools:regions", Role.ORGANISER, weight=32)
        register_nav(_("Hồ sơ"), "schools:me", Role.STUDENT, weight=60)
        register_nav(_("Đăng ký dự thi"), "schools:register", "anonymous", weight=70)
