from django.core.management.base import BaseCommand, CommandError

from leaderboard.checks import publications_check
from leaderboard.models import Publication


class Command(BaseCommand):
    help = (
        "Recompute every current published ranking from the stored attempts and compare it row by row "
        "(after a restore, or before answering an appeal). Exits 1 if any differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rescore", action="store_true", help="re-score each round from its answers first")

    def handle(self, *args, rescore: bool, **options):
        results = publications_check(rescore=rescore)
        titles = dict(Publication.objects.filter(pk__in=results).values_list("pk", "title"))
        differing = 0
        for pk, differences in results.items():
            state = "ok" if not differences else f"{len(differences)} differences"
            self.stdout.write(f"publication {pk} ({titles[pk]}): {state}")
            for line in differences[:20]:
                self.stdout.write(f"  {line}")
            differing += bool(differences)
        self.stdout.write(f"{len(results)} publications checked, {differing} differ")
        if differing:
            raise CommandError(f"{differing} publications differ from the stored data")
