import pytest

from tests.leaderboard.conftest import flush_boards
from tests.security.world import side


@pytest.fixture(autouse=True)
def _fresh_boards():
    flush_boards()
    yield
    flush_boards()


@pytest.fixture
def sides():
    """Two mirror-image provinces: (side A, side B)."""
    return side("A", "86"), side("B", "87")
