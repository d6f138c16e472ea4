"""The tie-aware ranker: equal keys share a rank, and the next rank skips (1, 1, 3)."""

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def ranks(items: Iterable[T], key: Callable[[T], tuple]) -> Iterator[tuple[int, T]]:
    """Yield ``(rank, item)`` in ranking order (ascending ``key``)."""
    rank, previous = 0, object()
    for position, item in enumerate(sorted(items, key=key), start=1):
        k = key(item)
        if k != previous:
            rank, previous = position, k
        yield rank, item
