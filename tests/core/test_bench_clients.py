"""The benchmark's phones stay connected: ``bench/live_client.py`` answers Daphne's pings with
the ping's own payload, so a live Daphne with a one-second ping interval and timeout keeps all
of them past two ping intervals, and a dropped phone is reported, not waited for.

Before, the client answered every ping with an empty pong; Daphne closed each socket once its
ping timeout had passed, and every benchmark game longer than about 50 s lost all its players.
"""

import json
import subprocess
import sys
import time

import pytest

from tests.support.server import ROOT, start_server

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PHONES = 5
PING_S = 1  # seconds; Daphne takes whole seconds


class Players:
    """``bench/live_client.py``, driven over stdin/stdout as ``bench/live.py`` does."""

    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "live_client.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def __call__(self, **cmd) -> dict:
        self.process.stdin.write(json.dumps(cmd) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stop(self):
        self.process.kill()
        self.process.wait(10)


def test_bench_phones_outlive_two_ping_intervals(tmp_path):
    server = start_server(tmp_path, args=("--ping-interval", str(PING_S), "--ping-timeout", str(PING_S)))
    players = Players()
    try:
        opened = players(cmd="connect", host="127.0.0.1", port=server.port, path="/ws/time/", n=PHONES, join=None)
        assert opened["connected"] == PHONES, opened
        started = time.monotonic()
        # Idle: the server pings each socket every interval and drops it if the pong is wrong.
        after = players(cmd="idle", seconds=2 * PING_S + PING_S + 1)
        assert time.monotonic() - started >= 3 * PING_S
    finally:
        players.stop()
        server.stop()
    assert after["lost"] == 0, f"the server dropped {after['lost']} of {PHONES} phones"
    assert after["connected"] == PHONES
