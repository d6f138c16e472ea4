"""``make battery``: make a contest night's faults on purpose and check nothing is lost.

    .venv/bin/python -m battery.run                      # every fault, 500 pupils
    .venv/bin/python -m battery.run --only kill,redis --pupils 200

Starts a PostgreSQL cluster and a redis-server of its own on free ports (the machine's shared
servers are never stopped), two Daphne workers and the contest clock, then runs each fault
with its own round and pupils (``battery/faults.py``). Prints, per fault, what it did and the
figures (acknowledgements seen, stored and lost, errors by code, recovery times), then a line
``N passed, M failed``; exits 1 if any fault broke a promise. Loopback only, bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@dataclass
class Context:
    cluster: object
    pg: object
    redis: object
    pupils: int
    kills: int
    kill_every: float
    outage: float


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pupils", type=int, default=500)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--kill-every", type=float, default=3.0, help="seconds between kills")
    parser.add_argument("--outage", type=float, default=10.0, help="seconds PostgreSQL or Redis stays down")
    parser.add_argument("--only", default="", help="comma-separated faults (kill, postgres, redis, clock)")
    args = parser.parse_args(argv)

    from tests.support.services import throwaway_postgres, throwaway_redis

    with throwaway_postgres() as pg, throwaway_redis() as rd, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings_test",
                "DATABASE_URL": pg.url,
                "REDIS_URL": rd.url,
                "REDIS_PREFIX": "hts-battery",
            }
        )
        import django

        django.setup()
        from django.core.management import call_command

        from battery.cluster import Cluster
        from battery.faults import FAULTS, Report

        call_command("migrate", verbosity=0)
        cluster = Cluster(Path(tmp), env={"DATABASE_URL": pg.url, "REDIS_URL": rd.url})
        cluster.start()
        ctx = Context(cluster, pg, rd, args.pupils, args.kills, args.kill_every, args.outage)
        names = [n for n in args.only.split(",") if n] or list(FAULTS)
        unknown = set(names) - set(FAULTS)
        if unknown:
            parser.error(f"unknown faults: {', '.join(sorted(unknown))}")
        reports = []
        try:
            for name in names:
                began = time.monotonic()
                print(f"--- {name}: running", flush=True)
                try:
                    report = FAULTS[name](ctx)
                except Exception as exc:  # noqa: BLE001 - a crashed fault is a failed fault, the rest still run
                    report = Report(name, "crashed", failures=[f"{type(exc).__name__}: {exc}"])
                    traceback.print_exc()
                report.figures["took_s"] = round(time.monotonic() - began, 1)
                reports.append(report)
                verdict = "PASSED" if not report.failures else "FAILED"
                print(f"--- {name}: {verdict} — {report.did}")
                for key, value in report.figures.items():
                    print(f"    {key}: {value}")
                for failure in report.failures:
                    print(f"    ! {failure}")
                sys.stdout.flush()
        finally:
            cluster.stop()
            from django.db import connections

            connections.close_all()
    failed = [r.name for r in reports if r.failures]
    print(json.dumps({r.name: {"passed": not r.failures, **r.figures} for r in reports}, default=str))
    print(f"{len(reports) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
