"""Throwaway PostgreSQL and Redis servers for fault tests and the battery.

Fault tests stop, restart and flush their services. They must never do that to the machine's
shared PostgreSQL or Redis, so each starts its own, on a free port, in a temporary folder, and
removes it afterwards. Both context managers yield a handle with ``stop()`` and ``start()`` so
a test can take the service away and bring it back while workers keep running.

PostgreSQL refuses to run as root: when the tests run as root (CI does), ``initdb`` and
``pg_ctl`` run as the ``postgres`` system user, which owns the data folder.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.server import free_port


def postgres_bin_dir() -> Path | None:
    """The newest installed PostgreSQL server's bin folder (Debian's layout), or ``None``."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def redis_server_path() -> str | None:
    return shutil.which("redis-server")


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@dataclass
class ThrowawayPostgres:
    port: int
    data_dir: Path
    bin_dir: Path
    log_path: Path
    database: str = "hts"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = _as_postgres([str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), *args])
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=60)

    def start(self) -> None:
        self._pg_ctl(
            "-l",
            str(self.log_path),
            "-o",
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data_dir} -c fsync=off",
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; ``mode="immediate"`` is a crash without a checkpoint."""
        self._pg_ctl("-m", mode, "-w", "stop", check=False)

    def is_running(self) -> bool:
        return self._pg_ctl("status", check=False).returncode == 0

    def psql(self, sql: str, database: str = "postgres") -> str:
        cmd = [str(self.bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database]
        out = subprocess.run([*cmd, "-Atc", sql], capture_output=True, text=True, check=True, timeout=30)
        return out.stdout.strip()

    def backends(self, database: str | None = None) -> int:
        """Client backends connected to ``database`` (default: the test database), psql excluded."""
        sql = (
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "  # noqa: S608 - our own names
            f"AND datname = '{database or self.database}' AND pid <> pg_backend_pid()"
        )
        return int(self.psql(sql))


@contextlib.contextmanager
def throwaway_postgres(database: str = "hts"):
    """Start a PostgreSQL cluster of its own on a free port, with an empty ``database``."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    root = Path(tempfile.mkdtemp(prefix="hts-pg-"))
    data_dir = root / "data"
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
    subprocess.run(
        _as_postgres(
            [str(bin_dir / "initdb"), "-D", str(data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]
        ),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    pg = ThrowawayPostgres(
        port=free_port(), data_dir=data_dir, bin_dir=bin_dir, log_path=root / "postgres.log", database=database
    )
    try:
        pg.start()
        subprocess.run(
            [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", database],
            capture_output=True,
            check=True,
            timeout=30,
        )
        yield pg
    finally:
        pg.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class ThrowawayRedis:
    port: int
    workdir: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = (self.workdir / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                redis_server_path() or "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.ping():
                return
            time.sleep(0.05)
        raise RuntimeError("throwaway redis-server did not answer PING in 10 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def flushall(self) -> None:
        import redis

        redis.Redis(port=self.port).flushall()


@contextlib.contextmanager
def throwaway_redis():
    """Start a redis-server of its own on a free port, keeping nothing on disk."""
    if redis_server_path() is None:
        raise RuntimeError("redis-server is not installed")
    workdir = Path(tempfile.mkdtemp(prefix="hts-redis-"))
    server = ThrowawayRedis(port=free_port(), workdir=workdir)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
