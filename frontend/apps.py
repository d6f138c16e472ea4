from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontendConfig(AppConfig):
    name = "frontend"

    def ready(self):
        from core.nav import register_nav

        register_nav(_("Trang chủ"), "home", weight=0)
