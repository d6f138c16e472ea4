"""The processes of a contest night, as the battery runs them: two Daphne workers and the clock,
on the battery's own PostgreSQL and Redis. Each can be killed with SIGKILL and started again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.support.server import ROOT, LiveServer, free_port, start_server


def healthz(url: str, timeout: float = 8.0) -> int:
    """The status of ``/healthz`` (0 when nothing answers). Its own checks give up after 3 s, so a
    worker whose database is gone answers 503 well within the timeout."""
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=timeout) as resp:  # noqa: S310 - loopback
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


class Cluster:
    def __init__(self, workdir: Path, env: dict, workers: int = 2):
        self.workdir, self.env = workdir, env
        self.ports = [free_port() for _ in range(workers)]
        self.servers: list[LiveServer | None] = [None] * workers
        self.clock: subprocess.Popen | None = None

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.ports]

    @property
    def ws_urls(self) -> list[str]:
        return [f"ws://127.0.0.1:{p}" for p in self.ports]

    def start(self) -> None:
        for i in range(len(self.ports)):
            self.start_worker(i)
        self.start_clock()

    def start_worker(self, i: int) -> float:
        """Start worker ``i`` on its port; the seconds until its /healthz answered 200."""
        began = time.monotonic()
        self.servers[i] = start_server(self.workdir, extra_env=self.env, port=self.ports[i])
        return time.monotonic() - began

    def kill_worker(self, i: int) -> None:
        server = self.servers[i]
        if server is not None and server.process.poll() is None:
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait(10)
        self.servers[i] = None

    def start_clock(self) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", **self.env}
        log = (self.workdir / "clock.log").open("ab")
        self.clock = subprocess.Popen(
            [sys.executable, "manage.py", "run_clock", "--interval", "0.5"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def kill_clock(self) -> None:
        if self.clock is not None and self.clock.poll() is None:
            os.kill(self.clock.pid, signal.SIGKILL)
            self.clock.wait(10)
        self.clock = None

    def stop(self) -> None:
        self.kill_clock()
        for server in self.servers:
            if server is not None:
                server.stop()
        self.servers = [None] * len(self.ports)
