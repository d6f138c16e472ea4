"""Resume after a worker dies: N pupils on W Daphne workers, one worker killed with SIGKILL.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/resume.py --students 500

The pupils (``bench/resume_client.py``, one process) are spread over the workers, start their
attempts and save an answer every ``--interval`` seconds; each also holds the attempt page's
clock socket and, with ``--board``, the round's board. Once all are saving, the first worker
is killed (``kill -9``: no shutdown, no goodbye). Its pupils see the drop, reconnect as the
page's client does (jittered back-off, through a stand-in for the proxy that goes on to the
next worker), get their snapshot and re-send the save that was in flight.

Reported: resume time = drop -> first acknowledgement after it, p50/p90/p99/max over the
dropped pupils; failed connection attempts; errors. The last line is one JSON object. Exit
status 1 when a dropped pupil did not resume within ``--timeout``. Uses ``DATABASE_URL`` (its
bench rows are removed at the end) or a fresh SQLite file in var/, and ``REDIS_URL`` when set
(the production shape: workers share the channel layer). Loopback only; every wait is bounded.
"""

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from answers import DAPHNE, PY, ROOT, cleanup, free_port, seed, setup_django, wait_healthy


def start_worker(env: dict, log_path: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    log = log_path.open("ab")
    cmd = [DAPHNE, "-e", f"tcp:port={port}:interface=127.0.0.1:backlog=2048", "config.asgi:application"]
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log)
    wait_healthy(port, process)
    return process, port


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def run(args, data: dict, env: dict, cookies_file: Path) -> dict:
    log_path = ROOT / "var" / "bench-resume.log"
    log_path.unlink(missing_ok=True)
    workers = []
    client = None
    try:
        for _ in range(args.workers):
            workers.append(start_worker(env, log_path))
        ports = ",".join(str(port) for _p, port in workers)
        cmd = [
            PY, str(ROOT / "bench" / "resume_client.py"), "--ports", ports,
            "--path", f"/ws/contest/rounds/{data['round']}/", "--cookies", str(cookies_file),
            "--students", str(args.students), "--interval", str(args.interval), "--timeout", str(args.timeout),
        ]  # fmt: skip
        if args.board:
            cmd.append("--board")
        client = subprocess.Popen(
            cmd,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = client.stdout.readline().strip()
        if not ready.startswith("READY"):
            raise SystemExit(f"FAILED: the pupils did not start: {ready or client.wait(5)}")
        print(f"  {ready}", flush=True)
        time.sleep(args.steady)  # every pupil saving, on every worker
        client.stdin.write("MARK\n")
        client.stdin.flush()
        victim, victim_port = workers[0]
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(10)
        print(f"  killed the worker on port {victim_port} (pid {victim.pid})", flush=True)
        line = client.stdout.readline()
        client.wait(args.timeout + 30)
        if not line.startswith("{"):
            raise SystemExit(f"FAILED: the pupils' process gave no result (exit {client.returncode})")
        return json.loads(line)
    finally:
        if client is not None and client.poll() is None:
            client.kill()
        for process, _port in workers:
            stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between a pupil's saves (jittered)")
    parser.add_argument("--steady", type=float, default=3.0, help="seconds of saving before the kill")
    parser.add_argument("--timeout", type=float, default=60.0, help="longest wait for every pupil to resume")
    parser.add_argument("--board", action="store_true", help="each pupil also follows the round's live board")
    args = parser.parse_args()
    if args.workers < 2:
        parser.error("--workers must be at least 2: the pupils of the killed one need another")
    (ROOT / "var").mkdir(exist_ok=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    database = os.environ.get("DATABASE_URL", "")
    if not database:
        sqlite = ROOT / "var" / "bench-resume.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        env["SQLITE_PATH"] = str(sqlite)
    setup_django(env)
    tag = secrets.token_hex(3)
    layer = "Redis" if os.environ.get("REDIS_URL") else "in-memory (no Redis)"
    print(
        f"resume bench: {args.students} pupils on {args.workers} workers "
        f"({'PostgreSQL' if database else 'SQLite'}, {layer}{', boards shown' if args.board else ''}), "
        "one worker killed",
        flush=True,
    )
    data = seed(args.students, 20, tag)
    cookies_file = ROOT / "var" / f"bench-resume-{tag}.json"
    cookies_file.write_text(json.dumps(data["cookies"]))
    try:
        result = run(args, data, {**os.environ, **env}, cookies_file)
    finally:
        cookies_file.unlink(missing_ok=True)
        if database:
            cleanup(tag, data)
    print(
        f"  dropped {result['dropped']}, resumed {result['resumed']}: resume p50 {result['resume_p50_s']} s, "
        f"p90 {result['resume_p90_s']} s, p99 {result['resume_p99_s']} s, max {result['resume_max_s']} s; "
        f"{result['failed_opens']} failed connection attempts; errors {result['errors'] or 'none'}",
        flush=True,
    )
    print(json.dumps({"students": args.students, "workers": args.workers, "board": args.board, **result}), flush=True)
    if not result["dropped"] or result["resumed"] < result["dropped"]:
        print(f"FAILED: {result['dropped'] - result['resumed']} dropped pupils did not resume", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
