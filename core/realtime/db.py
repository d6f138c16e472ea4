"""Database work of websockets on a few threads, so a reconnect storm does not queue on one.

Channels runs every ``database_sync_to_async`` call of a process on ONE thread. That is fine
while sockets come and go one at a time, but when a worker dies its pupils all come back to
the others at once, and each handshake (session and user), each round snapshot and each board
waits its turn behind all the others: measured with ``bench/resume.py``, 250 pupils resuming at
once queued for seconds, past Daphne's handshake timeout, and their retries made it worse.

``socket_db(fn)`` runs ``fn`` on ``SOCKET_DB_THREADS`` threads instead, cleaning up the
connection before and after as ``database_sync_to_async`` does: with the PostgreSQL pool, each
call borrows a connection and gives it back, so the process's bound (``DB_POOL_MAX``) holds.
Use it for read-mostly work that does not depend on running after another socket's work (each
call is one unit: its own transaction, if any).

``SocketAuthMiddlewareStack`` is Channels' ``AuthMiddlewareStack`` with the user read through
``socket_db``, and not read at all for sockets that never look at it (``/ws/time/``).

``NoHopDispatchMixin`` drops Channels' per-message ``close_old_connections`` hop (Channels 4.2+
runs it on that single thread before every handler) for consumers whose handlers reach the
database only through ``socket_db``: otherwise even a clock ping waits behind every other
socket's database work.
"""

from concurrent.futures import ThreadPoolExecutor

from channels.auth import AuthMiddleware, get_user
from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

_executor: ThreadPoolExecutor | None = None

# Sockets that never read ``scope["user"]``: no session or user query at the handshake.
ANONYMOUS_PATHS = frozenset({"/ws/time/"})


def _threads() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=settings.SOCKET_DB_THREADS, thread_name_prefix="socket-db")
    return _executor


def socket_db(func):
    """``database_sync_to_async(func)``, on the socket threads rather than the single one."""
    return DatabaseSyncToAsync(func, thread_sensitive=False, executor=_threads())


class NoHopDispatchMixin:
    """Dispatch without the database clean-up hop (the handlers use ``socket_db``, or nothing)."""

    async def dispatch(self, message):
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


class SocketAuthMiddleware(AuthMiddleware):
    async def resolve_scope(self, scope):
        if scope.get("path") in ANONYMOUS_PATHS:
            scope["user"]._wrapped = AnonymousUser()
            return
        scope["user"]._wrapped = await socket_db(get_user.func)(scope)


def SocketAuthMiddlewareStack(inner):  # noqa: N802 - named as Channels' AuthMiddlewareStack
    return CookieMiddleware(SessionMiddleware(SocketAuthMiddleware(inner)))
