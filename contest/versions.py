"""A process-local cache of question versions used by rounds.

A version taken by a round is marked ``used`` and never changes afterwards (an edit makes a new
version), so caching it for the life of the process is safe and spares the answer write path a
query per batch. Only ids that appear in an attempt's stored question order are looked up.
"""

import threading

from quizbank.models import QuestionVersion

_MAX = 20_000
_cache: dict[int, QuestionVersion] = {}
_lock = threading.Lock()


def versions_by_id(ids) -> dict[int, QuestionVersion]:
    ids = set(ids)
    with _lock:
        found = {i: _cache[i] for i in ids if i in _cache}
    missing = ids - found.keys()
    if missing:
        loaded = {v.pk: v for v in QuestionVersion.objects.filter(pk__in=missing)}
        with _lock:
            if len(_cache) + len(loaded) > _MAX:
                _cache.clear()
            _cache.update({pk: v for pk, v in loaded.items() if v.used})
        found.update(loaded)
    return found


def forget() -> None:
    """Empty the cache (tests that rewrite versions in place)."""
    with _lock:
        _cache.clear()
