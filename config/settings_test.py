"""Settings for the test suite: the real settings, with a throwaway key and a fast hasher."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
# pytest-xdist workers share one Redis: give each its own key and channel prefix, as each
# already has its own test database. Servers started by tests inherit it.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
# Pages name hashed static files, as in production: the suite collects them once into its own
# folder (tests/support/static.py); servers started by tests inherit the setting.
os.environ.setdefault("STATIC_ROOT", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "static-test"))
# tests/core/test_wire.py backs a socket up with 3000 pings sent at once; the flood test
# (tests/security/test_socket_flood.py) sends 10,000 and is still throttled. Servers started
# by tests inherit it.
os.environ.setdefault("SOCKET_MESSAGE_BURST", "5000")
# Test data is written inside transactions that roll back, so the services' cache bumps (sent on
# commit) never run and ids come back: the page cache stays off unless a test turns it on
# (tests/core/test_page_cache.py and the tests of the cached pages). Servers inherit it.
os.environ.setdefault("PAGE_CACHE", "0")
os.environ["REDIS_PREFIX"] = f"{os.environ.get('REDIS_PREFIX', 'hts-test')}-{_worker}"

from config.settings import *  # noqa: E402,F403

# Rosters create hundreds of users; the default hasher would dominate the suite's time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "core.hashers.CardSecretHasher"]
