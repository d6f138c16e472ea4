"""A throw-away database for a benchmark: a new PostgreSQL database beside DATABASE_URL's, or
an SQLite file in a temporary folder. Returns its URL and a function that removes it."""

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def own_database(suffix: str) -> tuple[str, Callable[[], None]]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/')}_bench_{suffix}"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return urlunsplit(parts._replace(path="/" + name)), drop
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{suffix}-"))

    def remove():
        for p in folder.glob("*"):
            p.unlink()
        folder.rmdir()

    return f"sqlite:///{folder / 'bench.sqlite3'}", remove
