"""Backup and restore of the whole database: PostgreSQL through pg_dump/pg_restore (the
custom format, without owners, so a dump restores under any role), SQLite through its online
backup API. Used by ``manage.py backup`` and ``manage.py restore``."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(Exception):
    pass


def _pg_env() -> dict:
    cfg = connection.settings_dict
    env = {**os.environ}
    if cfg.get("PASSWORD"):
        env["PGPASSWORD"] = str(cfg["PASSWORD"])
    return env


def _pg_args() -> list[str]:
    cfg = connection.settings_dict
    args = ["--host", cfg.get("HOST") or "127.0.0.1", "--port", str(cfg.get("PORT") or 5432)]
    if cfg.get("USER"):
        args += ["--username", cfg["USER"]]
    return args


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(done.stderr.strip() or f"{cmd[0]} exited with {done.returncode}")


def database_backup(path: Path) -> None:
    """Write a consistent copy of the database to ``path`` (taken while the site runs)."""
    if connection.vendor == "postgresql":
        _run(
            [
                "pg_dump",
                *_pg_args(),
                "--format=custom",
                "--no-owner",
                "--file",
                str(path),
                connection.settings_dict["NAME"],
            ]
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
    else:
        raise BackupError(f"no backup for the {connection.vendor} backend")


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def database_restore(path: Path) -> None:
    """Load a backup into the configured database, which must be empty. All or nothing."""
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    if not database_is_empty():
        raise BackupError("the database is not empty: restore into a new, empty database")
    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        _run(
            [
                "pg_restore",
                *_pg_args(),
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                name,
                str(path),
            ]
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as source:
            source.backup(connection.connection)
    else:
        raise BackupError(f"no restore for the {connection.vendor} backend")
