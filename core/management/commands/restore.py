from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, database_restore


class Command(BaseCommand):
    help = (
        "Load a backup made by `manage.py backup` into the configured database, which must be new and "
        "empty. Then check it with `manage.py check_publications --rescore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            database_restore(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {file}")
