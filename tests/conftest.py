"""Shared fixtures: a real Daphne server on the test database, Playwright on system Chromium,
and the rules for tests that need Redis or a browser.

Locally, tests marked ``redis`` run when ``REDIS_URL`` is set and are skipped otherwise;
tests marked ``browser`` run when Chromium is installed. In CI (``CI`` set) a missing
service is an error, never a skip: every test must run there.
"""

import os

import pytest

from tests.support.server import LiveServer, start_server

REDIS_URL = os.environ.get("REDIS_URL", "")
IN_CI = bool(os.environ.get("CI"))


def _require(condition: bool, reason: str):
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must run this test: {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("redis"):
        _require(bool(REDIS_URL), "REDIS_URL is not set")
    if item.get_closest_marker("browser"):
        from tests.support.browser import chromium_path

        _require(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="session", autouse=True)
def collected_static():
    """Hashed, compressed static files in STATIC_ROOT, as production serves them."""
    from tests.support.static import ensure_collected

    ensure_collected()


@pytest.fixture(autouse=True)
def _fresh_question_caches():
    """Per-process caches of rendered questions and versions are keyed by ids, which a
    rolled-back test hands out again: every test starts without them."""
    from contest import presentation, versions

    versions.forget()
    presentation.forget()


@pytest.fixture(scope="session")
def redis_url():
    return REDIS_URL


@pytest.fixture(scope="session")
def live_server_asgi(django_db_setup, django_db_blocker, tmp_path_factory) -> LiveServer:
    """One Daphne process for the session, on the test database and the default layer.

    Tests that use it must write with ``transactional_db`` so the server process sees
    their rows.
    """
    with django_db_blocker.unblock():
        server = start_server(tmp_path_factory.mktemp("daphne"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    from tests.support.browser import launch

    # Playwright's sync API keeps an event loop running in this thread while it is started
    # (so the fixture is per module: asyncio tests in other modules need the thread free),
    # and that loop makes Django refuse the test database flush between browser tests. The
    # ORM calls it guards are the test harness's own; the app runs in the Daphne process.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with launch() as b:
            yield b
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture(autouse=True)
def _board_updates_drained():
    """Board updates from saved answers run on a queue thread (``leaderboard.boards.queue``):
    each test ends with them applied, so none reaches into the next test's database."""
    yield
    from leaderboard.boards.sync import answer_updates

    answer_updates.drain()
    answer_updates.close_connection()  # the test database is dropped at the end


@pytest.fixture
def page_cache(settings):
    """The page cache on (it is off in the suite), every topic bumped first: ids of earlier
    tests' rolled-back rows come back."""
    from core import pagecache
    from tests.support.pagecache import turn_on

    turn_on(settings)
    yield
    pagecache.health.down_until = 0.0
    pagecache.health.warned = False
