"""Start a real Daphne process for tests and benchmarks, on the current test database."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(alias: str = "default") -> str:
    """The URL of the database this process is connected to (the test database in pytest).

    Asked of the database itself: the settings dict does not always carry the test name.
    Call it where database access is allowed (e.g. under ``django_db_blocker.unblock()``).
    """
    conn = connections[alias]
    cfg = conn.settings_dict
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute("PRAGMA database_list")
            path = next(row[2] for row in cursor.fetchall() if row[1] == "main")
            if not path:
                raise RuntimeError("a server process cannot share an in-memory SQLite database")
            return f"sqlite:///{Path(path).resolve()}"
        cursor.execute("SELECT current_database()")
        (name,) = cursor.fetchone()
    user = cfg.get("USER") or ""
    password = f":{cfg['PASSWORD']}" if cfg.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{cfg.get('HOST') or '127.0.0.1'}:{cfg.get('PORT') or 5432}/{name}"


@dataclass
class LiveServer:
    port: int
    process: subprocess.Popen
    log_path: Path
    env: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_server(
    workdir: Path, *, extra_env: dict | None = None, port: int | None = None, args: tuple[str, ...] = ()
) -> LiveServer:
    """Start ``daphne config.asgi:application`` on a free port and wait until /healthz answers.

    ``args`` go to Daphne before the application (e.g. ``("--ping-interval", "1")``)."""
    port = port or free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "tests-only-secret-key",
        "DEBUG": "0",
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    if not env.get("REDIS_URL"):
        env.pop("REDIS_URL", None)
    log_path = workdir / f"daphne-{port}.log"
    log = log_path.open("wb")
    daphne = str(Path(sys.executable).with_name("daphne"))
    process = subprocess.Popen(
        [daphne, "-e", f"tcp:port={port}:interface=127.0.0.1:backlog=2048", *args, "config.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = LiveServer(port=port, process=process, log_path=log_path, env=env)
    deadline = time.monotonic() + 30
    last = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited with {process.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as resp:  # noqa: S310 - loopback
                if resp.status == 200:
                    return server
        except urllib.error.HTTPError as exc:
            last = exc.read().decode(errors="replace")
            time.sleep(0.2)
        except OSError as exc:
            last = repr(exc)
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"daphne did not become healthy in 30 s; last /healthz: {last}\n{server.log()[-2000:]}")
