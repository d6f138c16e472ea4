"""Row locks on games, on every database.

PostgreSQL: ``SELECT ... FOR UPDATE`` on the game rows. SQLite ignores ``FOR UPDATE``; its
lock is the database's write lock. A transaction that reads first and writes later may then
fail at once with "database is locked" when another process writes in between (SQLite refuses
to upgrade a reader rather than deadlock), unless the connection opens transactions with
``BEGIN IMMEDIATE`` (the embedded default does; a ``DATABASE_URL`` of ``sqlite://`` does not).
So on SQLite the lock is taken with a no-op write first, which waits for the write lock.
"""

from django.db import connection
from django.db.models import F

from live.models import LiveGame


def lock_games(ids) -> None:
    """Hold the write lock of these games until the transaction ends (inside ``atomic``)."""
    ids = sorted(set(ids))  # always in the same order, so two batches cannot deadlock
    if connection.vendor == "sqlite":
        LiveGame.objects.filter(pk__in=ids).update(version=F("version"))
    else:
        list(LiveGame.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
