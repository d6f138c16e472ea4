import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Create or refresh the demo data (idempotent). Everything it makes is marked as demo."

    def handle(self, *args, **options):
        from core.demo import DEMO_ACCOUNTS, ensure_demo_user
        from core.roles import ensure_role_groups

        ensure_role_groups()
        for account in DEMO_ACCOUNTS:
            ensure_demo_user(account)
        for config in apps.get_app_configs():
            if config.name == "core" or not module_has_submodule(config.module, "demo"):
                continue
            module = importlib.import_module(f"{config.name}.demo")
            seed = getattr(module, "seed", None)
            if seed is not None:
                self.stdout.write(f"seed_demo: {config.label} …")
                seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo accounts (username / password / role):"))
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<12} {account.password:<14} {account.description}")
