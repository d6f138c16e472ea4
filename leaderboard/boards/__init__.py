"""Live boards: per round and per contest, for students, classes, schools and communes.

``get_backend()`` is Redis when ``REDIS_URL`` is set, in-process otherwise. The database is
the record: ``leaderboard.boards.sync`` fills boards from stored attempts and keeps them up to
date from the ``contest.hooks.attempt_changed`` signal (answers through ``queue.BoardQueue``).
"""

from functools import cache

from django.conf import settings

from leaderboard.boards.base import Backend


@cache
def get_backend() -> Backend:
    if settings.REDIS_URL:
        from leaderboard.boards.redis_backend import RedisBackend

        return RedisBackend(settings.REDIS_URL, settings.REDIS_PREFIX)
    from leaderboard.boards.memory import MemoryBackend

    return MemoryBackend()
