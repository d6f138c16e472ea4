"""Extension points other apps fill in their ``AppConfig.ready``.

``register_participation_source(label, fn)``: ``fn(school) -> int`` counts the school's pupils
who took part in something (a contest app: pupils with a submitted attempt this year). The
coordinator's school page lists every registered source beside the enrolment.
"""

from collections.abc import Callable

_sources: list[tuple[object, Callable]] = []


def register_participation_source(label, fn: Callable) -> None:
    if all(existing is not fn for _label, existing in _sources):
        _sources.append((label, fn))


def participation_sources() -> list[tuple[object, Callable]]:
    return list(_sources)
