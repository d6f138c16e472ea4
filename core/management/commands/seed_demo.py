import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Create or refresh the demo data (idempotent). Everything it makes is marked as demo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-demo-passwords",
            action="store_true",
            help="Seed even with DEBUG off. The demo accounts (a superuser among them) get the "
            "published password, so anyone who reads the README can sign in: demo servers only.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_demo_passwords"]:
            raise CommandError(
                "seed_demo creates the superuser 'admin' and other accounts with the password "
                "published in the README. DEBUG is off, so this looks like a real server: refused. "
                "Pass --allow-demo-passwords for a public demo."
            )
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
