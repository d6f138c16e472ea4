import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from quizbank.importing import FORMATS, plan_for_file
from quizbank.services.imports import apply_plan


class Command(BaseCommand):
    help = (
        "Import a question file (GIFT, Aiken, Moodle XML, XLSX/CSV template, Kahoot, Quizizz, QTI). "
        "Prints a JSON summary {dry_run, created, skipped, errors, duplicates}; with --dry-run, created is "
        "what would be created. Exits 1 on errors, saving nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", default="auto", choices=FORMATS)
        parser.add_argument("--bank", default="official", help='"official", "school:<code>" or "user:<username>"')
        parser.add_argument("--status", default="approved", choices=["draft", "review", "approved"])
        parser.add_argument("--dry-run", action="store_true", help="validate and report, save nothing")
        parser.add_argument("--include-duplicates", action="store_true")

    def handle(self, *args, **opts):
        from quizbank.management.commands._bank import bank_from_name

        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        bank, author = bank_from_name(opts["bank"])
        summary = {"file": path.name, "format": opts["format"], "dry_run": opts["dry_run"], "created": 0}
        try:
            plan = plan_for_file(path.read_bytes(), filename=path.name, fmt=opts["format"], bank=bank)
        except DomainError as exc:
            summary |= {"skipped": [], "duplicates": [], "errors": [{"line": None, "message": _message(exc)}]}
            self._finish(summary)
            return
        summary["format"] = plan.format or opts["format"]
        summary["skipped"] = plan.skipped
        summary["errors"] = plan.errors
        summary["duplicates"] = [
            {"line": i["line"], "duplicate_of": i.get("duplicate_of"), "duplicate_line": i.get("duplicate_line")}
            for i in plan.duplicates
        ]
        if opts["dry_run"] or plan.errors:
            count = len(plan.items if opts["include_duplicates"] else plan.new_items)
            # A dry run reports what the same command would create as ``created`` (with
            # ``dry_run: true``); ``would_create`` stays for older scripts and on errors,
            # where nothing is created.
            summary["would_create"] = count
            if opts["dry_run"] and not plan.errors:
                summary["created"] = count
        else:
            created = apply_plan(
                user=author,
                plan=plan,
                bank=bank,
                status=opts["status"],
                include_duplicates=opts["include_duplicates"],
            )
            summary["created"] = len(created)
        self._finish(summary)

    def _finish(self, summary):
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        if summary["errors"]:
            raise SystemExit(1)


def _message(exc: DomainError) -> str:
    parts = [str(m) for msgs in exc.fields.values() for m in msgs]
    return " ".join(parts) or str(exc.message)
