import pytest

from tests.security.world import side


@pytest.fixture
def sides():
    """Two mirror-image provinces: (side A, side B)."""
    return side("A", "86"), side("B", "87")
