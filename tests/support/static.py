"""Run ``collectstatic`` for the test suite when the static sources changed since the last run.

Pages render hashed static names (manifest storage), as in production, so the manifest must
exist and be current. Collecting takes a while (every file is gzipped and brotli-compressed),
so it runs only when a source file's name, size or time changed; a file lock keeps xdist
workers from collecting at the same time.
"""

import fcntl
import hashlib
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders

ROOT = Path(__file__).resolve().parents[2]


def sources_fingerprint() -> str:
    digest = hashlib.sha256()
    for finder in get_finders():
        for name, storage in finder.list(ignore_patterns=["CVS", ".*", "*~"]):
            stat = Path(storage.path(name)).stat()
            digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def ensure_collected() -> None:
    root = Path(settings.STATIC_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    stamp = root / ".sources"
    wanted = sources_fingerprint()
    with (root.parent / f"{root.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.exists() and stamp.read_text() == wanted:
            _reload_manifest()
            return
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "-v", "0"],
            cwd=ROOT,
            check=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"},
        )
        stamp.write_text(wanted)
        _reload_manifest()


def _reload_manifest() -> None:
    """This process may have read the manifest before it was written."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    staticfiles_storage.hashed_files, staticfiles_storage.manifest_hash = staticfiles_storage.load_manifest()
