from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, database_backup


class Command(BaseCommand):
    help = "Write a backup of the whole database to FILE (pg_dump custom format, or a SQLite copy)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            database_backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written to {file} ({file.stat().st_size:,} bytes)")
