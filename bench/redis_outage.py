"""How a worker serves new sockets while Redis is away, and how fast it is back.

One Daphne worker on a throwaway SQLite database and a Redis of its own (never the machine's
shared one). For each phase it opens ``--sockets`` sockets one after another to ``/ws/time/``
and times the handshake plus the first ``pong``:

- ``up``: Redis answers;
- ``refused``: Redis stopped (connections refused at once);
- ``frozen``: Redis stopped with SIGSTOP (connections hang: a host that drops packets);

then it brings Redis back and times how long ``/healthz`` takes to answer 200 again.

    .venv/bin/python bench/redis_outage.py --sockets 50
"""

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


async def open_and_ping(url: str, origin: str) -> float:
    started = time.perf_counter()
    async with websockets.connect(url, origin=origin, compression=None, open_timeout=30) as ws:
        await ws.send(json.dumps({"type": "ping", "id": 1}))
        while json.loads(await asyncio.wait_for(ws.recv(), 30)).get("type") != "pong":
            pass
    return (time.perf_counter() - started) * 1000


def phase(name: str, server, sockets: int) -> None:
    async def run():
        return [await open_and_ping(f"{server.ws_url}/ws/time/", server.url) for _ in range(sockets)]

    times = sorted(asyncio.run(run()))
    p50 = statistics.median(times)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"{name:8} sockets={sockets} handshake+pong ms: p50={p50:.1f} p99={p99:.1f} max={times[-1]:.1f}")


def healthz(server) -> int:
    try:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=10) as resp:  # noqa: S310 - loopback
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def time_until_healthy(server) -> float:
    started = time.perf_counter()
    while healthz(server) != 200:
        if time.perf_counter() - started > 60:
            raise RuntimeError("not healthy after 60 s")
        time.sleep(0.05)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=50)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="hts-redis-outage-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="bench-only-secret-key",  # noqa: S106 - a throwaway server
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from tests.support.server import start_server
    from tests.support.services import throwaway_redis

    call_command("migrate", verbosity=0)
    with throwaway_redis() as redis_server:
        server = start_server(workdir, extra_env={"REDIS_URL": redis_server.url, "REDIS_PREFIX": "hts-bench"})
        try:
            phase("up", server, args.sockets)
            redis_server.stop()
            phase("refused", server, args.sockets)
            redis_server.start()
            print(f"back (restarted): /healthz 200 after {time_until_healthy(server):.2f} s")
            os.kill(redis_server.process.pid, signal.SIGSTOP)
            try:
                phase("frozen", server, args.sockets)
            finally:
                os.kill(redis_server.process.pid, signal.SIGCONT)
            print(f"back (resumed): /healthz 200 after {time_until_healthy(server):.2f} s")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
