from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_role_groups(sender, **kwargs):
    from core.roles import ensure_role_groups

    ensure_role_groups()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Hội thi Số"

    def ready(self):
        post_migrate.connect(_create_role_groups, sender=self)
        from core import dbcheck

        dbcheck.install()  # the pool's check without a round trip when the socket is quiet
        from django.contrib import admin

        from core.auth import AdminSigninForm

        admin.site.login_form = AdminSigninForm  # the admin's login is limited as the site's is
