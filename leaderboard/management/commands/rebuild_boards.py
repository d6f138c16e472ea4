"""``manage.py rebuild_boards [--round ID | --contest ID]``: live boards from the database.

Without an option every contest and every standalone round is rebuilt. Safe while rounds run:
each round's old entries are taken out of the contest totals before the new ones go in.
"""

from django.core.management.base import BaseCommand, CommandError

from contest.models import Contest, Round
from leaderboard.boards import get_backend, sync


class Command(BaseCommand):
    help = "Rebuild live leaderboards from the stored attempts (after a Redis flush or restore)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--round", type=int, help="rebuild one round (and its share of the contest totals)")
        group.add_argument("--contest", type=int, help="rebuild one contest and all its rounds")

    def handle(self, *args, **options):
        backend = get_backend().name
        if options["round"]:
            round_ = Round.objects.filter(pk=options["round"]).first()
            if round_ is None:
                raise CommandError(f"no round with id {options['round']}")
            sync.rebuild_round(round_)
            self.stdout.write(f"rebuilt round {round_.pk} ({backend})")
        elif options["contest"]:
            contest = Contest.objects.filter(pk=options["contest"]).first()
            if contest is None:
                raise CommandError(f"no contest with id {options['contest']}")
            sync.rebuild_contest(contest)
            self.stdout.write(f"rebuilt contest {contest.pk} and its rounds ({backend})")
        else:
            count = sync.rebuild_all()
            self.stdout.write(f"rebuilt {count} contests and standalone rounds ({backend})")
