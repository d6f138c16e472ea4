"""Sign-in CPU: a pupil with the login card's secret against a staff member with a password.

    .venv/bin/python bench/signin.py
    .venv/bin/python bench/signin.py --pupils 200 --staff 5

Runs in one process on a fresh SQLite file in var/ (removed afterwards), with the production
hashers (``config.settings``). Each sign-in is a full ``POST /accounts/login/`` through Django's
test client: the form, the guessing limiter, the password check, the session write and the
redirect. It prints the process CPU time (``time.process_time``) per sign-in, and separately
the password check alone; the last line is one JSON object. Bounded: at most ``--pupils`` and
``--staff`` sign-ins, each distinct account signing in once (as on a contest night).
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup() -> Path:
    db = Path(tempfile.mkdtemp(prefix="signin-", dir=ROOT / "var")) / "bench.sqlite3"
    os.environ.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", "SQLITE_PATH": str(db)})
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return db


def cpu_ms_per(fn, items) -> list[float]:
    out = []
    for item in items:
        t0 = time.process_time()
        fn(item)
        out.append((time.process_time() - t0) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pupils", type=int, default=200)
    ap.add_argument("--staff", type=int, default=5)
    args = ap.parse_args()
    db = setup()
    try:
        run(args)
    finally:
        shutil.rmtree(db.parent, ignore_errors=True)


def run(args) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import check_password
    from django.test import Client

    from core.hashers import card_hash
    from schools.imports.roster import new_password

    User = get_user_model()
    pupils = []
    for i in range(args.pupils):
        secret = new_password()
        User.objects.create(username=f"bench-hs{i}", password=card_hash(secret))
        pupils.append((f"bench-hs{i}", secret))
    staff = []
    for i in range(args.staff):
        password = f"Giao-vien-{i}-mat-khau-dai"
        User.objects.create_user(username=f"bench-gv{i}", password=password)
        staff.append((f"bench-gv{i}", password))

    def signin(creds):
        client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="10.77.0.1")  # one school: one NAT address
        resp = client.post("/accounts/login/", {"username": creds[0], "password": creds[1]})
        assert resp.status_code == 302, resp.status_code

    hashes = {u.username: u.password for u in User.objects.filter(username__startswith="bench-")}
    signin(pupils[0])  # warm: imports, templates, first queries
    rows = {
        "pupil_signin": cpu_ms_per(signin, pupils[1:]),
        "staff_signin": cpu_ms_per(signin, staff),
        "pupil_check": cpu_ms_per(lambda c: check_password(c[1], hashes[c[0]]), pupils),
        "staff_check": cpu_ms_per(lambda c: check_password(c[1], hashes[c[0]]), staff),
    }
    print(f"{'what':<14} {'n':>5} {'cpu ms p50':>11} {'cpu ms mean':>12} {'cpu ms max':>11}")
    summary = {}
    for name, values in rows.items():
        p50, mean = statistics.median(values), statistics.fmean(values)
        print(f"{name:<14} {len(values):>5} {p50:>11.2f} {mean:>12.2f} {max(values):>11.2f}")
        summary[f"{name}_cpu_ms"] = round(p50, 2)
    summary["staff_to_pupil"] = round(summary["staff_signin_cpu_ms"] / summary["pupil_signin_cpu_ms"], 1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
