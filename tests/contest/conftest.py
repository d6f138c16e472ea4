import pytest

from contest import presentation, versions
from contest.writepath import batcher
from tests.contest import factories as cf


@pytest.fixture
def w(db):
    return cf.world()


@pytest.fixture(autouse=True)
def _fresh_caches():
    versions.forget()
    presentation.forget()
    yield


@pytest.fixture
def close_batcher_connection():
    """The batcher's thread keeps its own connection; close it so the test DB can be dropped."""
    yield
    batcher.close_connection()
