"""Server memory under a large request body: Daphne with the body limits against without.

    .venv/bin/python bench/bodies.py
    .venv/bin/python bench/bodies.py --mb 20 --mb 60

For each server (``config.asgi:application``, with ``core.bodylimits``; and
``bench.bodies_baseline:application``, the same Django without it) and each size, one anonymous
multipart POST to ``/api/schools/register/`` announces and sends the whole body at loopback
speed while the server's RSS is sampled every 20 ms from /proc. Prints the answer, the time to
it, and the RSS before and at its peak; the last line is one JSON object. A fresh server per
run, a fresh SQLite file in var/ (removed afterwards), 127.0.0.1 only, every run bounded by
``--timeout`` seconds.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAPHNE = str(Path(sys.executable).with_name("daphne"))
MB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start(app: str, env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen(
        [DAPHNE, "-e", f"tcp:port={port}:interface=127.0.0.1", app],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{app} did not start")


def post(port: int, pid: int, size: int, timeout: float) -> dict:
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.sendall(
        b"POST /api/schools/register/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: %d\r\n\r\n" % size
    )
    time.sleep(0.5)
    before = rss_mb(pid)
    peak = [before]
    done = threading.Event()
    started = time.monotonic()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb(pid))
            time.sleep(0.02)

    def send():
        block = b"x" * 65536
        sent = 0
        try:
            while sent < size and not done.is_set():
                n = min(len(block), size - sent)
                sock.sendall(block[:n])
                sent += n
        except OSError:
            pass

    threads = [threading.Thread(target=sample, daemon=True), threading.Thread(target=send, daemon=True)]
    for t in threads:
        t.start()
    status, data = 0, b""
    try:
        while time.monotonic() - started < timeout:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data:
                status = int(data.split()[1])
                break
    except OSError:
        pass
    answered = time.monotonic() - started
    time.sleep(1.0)  # let memory settle (and the sampler see any late growth)
    done.set()
    for t in threads:
        t.join(timeout)
    sock.close()
    return {"status": status, "answer_s": round(answered, 2), "rss_before_mb": round(before, 1),
            "rss_peak_mb": round(peak[0], 1), "growth_mb": round(peak[0] - before, 1)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, action="append", help="body size in MB (repeatable; default 20 and 60)")
    ap.add_argument("--timeout", type=float, default=60.0)
    args = ap.parse_args()
    sizes = args.mb or [20, 60]
    workdir = Path(tempfile.mkdtemp(prefix="bodies-", dir=ROOT / "var"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "bench-only-secret-key",
        "DEBUG": "0",
        "SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    rows = []
    try:
        for label, app in (("limited", "config.asgi:application"), ("baseline", "bench.bodies_baseline:application")):
            for size in sizes:
                proc, port = start(app, env)
                try:
                    row = {"server": label, "body_mb": size, **post(port, proc.pid, size * MB, args.timeout)}
                finally:
                    proc.terminate()
                    proc.wait(10)
                rows.append(row)
                print(
                    f"{label:<9} body {size:>4} MB  answer {row['status']:>3} in {row['answer_s']:>5.2f} s  "
                    f"RSS {row['rss_before_mb']:>6.1f} -> peak {row['rss_peak_mb']:>7.1f} MB  (+{row['growth_mb']:.1f})"
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps({"runs": rows}))


if __name__ == "__main__":
    main()
