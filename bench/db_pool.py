"""Database backends of one worker under HTTP load: the pool's bound, measured.

    DATABASE_URL=postgres://… .venv/bin/python bench/db_pool.py --requests 300 --concurrency 30

Starts one Daphne worker on ``DATABASE_URL`` (PostgreSQL) whose connections carry an
``application_name`` of their own (libpq's ``PGAPPNAME``), sends ``--requests`` signed-in
``GET /api/me/`` (one in five ``/healthz``) at ``--concurrency`` at a time, and samples
``pg_stat_activity`` every 20 ms: the peak number of the worker's backends under load, and
the number left after ``--idle`` seconds without requests. Prints the figures and one JSON
line. Pass ``DB_POOL_*`` in the environment to try other bounds. Loopback only; bounded.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from answers import DAPHNE, ROOT, free_port, setup_django, wait_healthy


def get(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=60) as resp:  # noqa: S310 - loopback
            resp.read()
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=30)
    parser.add_argument("--idle", type=float, default=30.0, help="seconds to wait, idle, after the load")
    args = parser.parse_args()
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL")
    import psycopg

    tag = secrets.token_hex(3)
    app = f"hts-bench-pool-{tag}"
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "THROTTLE_USER": "1000000/min",
    }
    setup_django(env)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user(username=f"bench-pool-{tag}", password=None)
    token = Token.objects.create(user=user).key
    port = free_port()
    (ROOT / "var").mkdir(exist_ok=True)
    log = (ROOT / "var" / "bench-db-pool.log").open("wb")
    server = subprocess.Popen(
        [DAPHNE, "-e", f"tcp:port={port}:interface=127.0.0.1:backlog=2048", "config.asgi:application"],
        cwd=ROOT,
        env={**os.environ, **env, "PGAPPNAME": app},
        stdout=log,
        stderr=log,
    )
    watcher = psycopg.connect(database, autocommit=True)
    sql = "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"

    def count() -> int:
        return watcher.execute(sql, [app]).fetchone()[0]

    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, count())
            time.sleep(0.02)

    try:
        wait_healthy(port, server)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        urls = [f"http://127.0.0.1:{port}/{'healthz' if i % 5 == 0 else 'api/me/'}" for i in range(args.requests)]
        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            statuses = list(pool.map(lambda u: get(u, token), urls))
        elapsed = time.perf_counter() - started
        stop.set()
        sampler.join(5)
        after_load = count()
        time.sleep(args.idle)
        idle = count()
    finally:
        stop.set()
        server.terminate()
        server.wait(15)
        log.close()
        watcher.close()
        Token.objects.filter(user=user).delete()
        user.delete()
    errors = sum(1 for s in statuses if s != 200)
    pool = {k: v for k, v in os.environ.items() if k.startswith("DB_POOL_")}
    print(
        f"{args.requests} requests at {args.concurrency} concurrent in {elapsed:.1f} s: {errors} errors; "
        f"worker backends: peak {peak}, {after_load} right after, {idle} after {args.idle:g} s idle "
        f"(pool settings: {pool or 'defaults'})"
    )
    print(
        json.dumps(
            {
                "requests": args.requests,
                "concurrency": args.concurrency,
                "errors": errors,
                "peak_backends": peak,
                "backends_after_load": after_load,
                "backends_after_idle": idle,
                "idle_s": args.idle,
                "pool_settings": pool,
            }
        )
    )


if __name__ == "__main__":
    main()
