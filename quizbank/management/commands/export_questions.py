from pathlib import Path

from django.core.management.base import BaseCommand

from quizbank.exporting import EXPORT_FORMATS, export_questions
from quizbank.models import Question


class Command(BaseCommand):
    help = "Export questions of a bank to GIFT, Moodle XML or the XLSX template."

    def add_arguments(self, parser):
        parser.add_argument("output", help="file to write ('-' for standard output, text formats only)")
        parser.add_argument("--format", default="gift", choices=sorted(EXPORT_FORMATS))
        parser.add_argument("--bank", default="official", help='"official", "school:<code>" or "user:<username>"')
        parser.add_argument("--status", default="approved", help="comma-separated statuses, or 'all'")

    def handle(self, *args, **opts):
        from quizbank.management.commands._bank import bank_from_name
        from quizbank.services.questions import bank_filter

        bank, _author = bank_from_name(opts["bank"])
        qs = Question.objects.filter(bank_filter(bank)).order_by("pk")
        if opts["status"] != "all":
            qs = qs.filter(status__in=opts["status"].split(","))
        data, _ctype, _ext = export_questions(qs, opts["format"])
        if opts["output"] == "-":
            self.stdout.write(data.decode("utf-8"))
        else:
            Path(opts["output"]).write_bytes(data)
            self.stderr.write(f"{qs.count()} questions -> {opts['output']}")
