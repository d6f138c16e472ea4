import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from contest.clock import tick


class Command(BaseCommand):
    help = (
        "Run the contest clock: close attempts whose deadline has passed (even with no browser) and "
        "store the final standings of rounds that have closed. Safe to run in several processes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between passes (default 1)")
        parser.add_argument("--once", action="store_true", help="run one pass and exit")

    def handle(self, *args, interval: float, once: bool, **options):
        if interval <= 0:
            self.stderr.write("--interval must be positive")
            return
        stopping = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_a: stopping.append(True))
        if not once:
            self.stdout.write(f"run_clock: ticking every {interval:g} s (Ctrl+C to stop)")
        while not stopping:
            started = time.monotonic()
            try:
                result = tick()
                if once or result["attempts_closed"] or result["rounds_finalized"]:
                    self.stdout.write(
                        f"run_clock: {result['attempts_closed']} attempts closed, "
                        f"{result['rounds_finalized']} rounds finalized"
                    )
            except Exception as exc:  # noqa: BLE001 - the clock must outlive a database hiccup
                self.stderr.write(f"run_clock: pass failed: {exc!r}")
                connection.close()
            if once:
                break
            close_old_connections()
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
