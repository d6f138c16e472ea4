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

A handshake waits for the database at most ``SOCKET_HANDSHAKE_DB_TIMEOUT_S`` (1.5 s) per
connection it borrows, and about twice that in all (``handshake_db_wait``): the pool's own wait
(``DB_POOL_TIMEOUT_S``, 10 s) is longer than Daphne's 5 s handshake timeout, so a socket
opened while PostgreSQL is down used to be dropped without a word. Now its user lookup fails
in time, the scope carries the failure (``HANDSHAKE_FAILURE``), and ``JsonConsumer`` accepts,
answers ``unavailable`` (retryable) and closes 4503, so the client retries with back-off.

``NoHopDispatchMixin`` drops Channels' per-message ``close_old_connections`` hop (Channels 4.2+
runs it on that single thread before every handler) for consumers whose handlers reach the
database only through ``socket_db``: otherwise even a clock ping waits behind every other
socket's database work.
"""

import asyncio
import contextlib
import time
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar

from channels.auth import AuthMiddleware, get_user
from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, connection

from core.errors import is_infrastructure_error

_executor: ThreadPoolExecutor | None = None

# Sockets that never read ``scope["user"]``: no session or user query at the handshake.
ANONYMOUS_PATHS = frozenset({"/ws/time/"})


def _threads() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=settings.SOCKET_DB_THREADS, thread_name_prefix="socket-db")
    return _executor


# Set while a socket is being set up: (monotonic start of the handshake, seconds per wait).
# Context variables follow ``socket_db`` calls onto their thread (asgiref copies the context).
_handshake: ContextVar[tuple[float, float] | None] = ContextVar("socket_handshake", default=None)
# The scope key under which the middleware leaves a database failure of the handshake.
HANDSHAKE_FAILURE = "hts.handshake_failure"
HANDSHAKE_STARTED = "hts.handshake_started"


def _pool_wait() -> float | None:
    """Seconds a connection borrowed now may wait for: None outside a handshake (the pool's
    own timeout). Within one, ``SOCKET_HANDSHAKE_DB_TIMEOUT_S``, and no later than twice that
    after the handshake began, so a handshake queued behind others still answers in time."""
    handshake = _handshake.get()
    if handshake is None:
        return None
    started, seconds = handshake
    return max(0.01, min(seconds, started + 2 * seconds - time.monotonic()))


def _bound_pool_waits() -> None:
    """Make the process's pool honour ``_pool_wait`` (once per pool; Django makes a pool per
    database alias, lazily, and tests close and remake it)."""
    pool = getattr(connection, "pool", None)  # only PostgreSQL has one
    if pool is None or getattr(pool, "hts_bounded_waits", False):
        return
    getconn = pool.getconn

    def getconn_bounded(timeout=None):
        return getconn(_pool_wait() if timeout is None else timeout)

    pool.getconn = getconn_bounded
    pool.hts_bounded_waits = True


def _handshake_deadline(handshake: tuple[float, float]) -> float:
    """When the handshake stops waiting for its database calls (``socket_db``)."""
    started, seconds = handshake
    return started + 2 * seconds + 0.5


def _in_socket_thread(func):
    def run(*args, **kwargs):
        handshake = _handshake.get()
        if handshake is not None:
            if time.monotonic() > _handshake_deadline(handshake):
                # Its socket gave up while this call waited for a thread: skip it. Left to run,
                # abandoned calls would keep the threads busy after an outage, every new
                # handshake would queue behind them and give up in turn, and the worker would
                # not recover.
                raise OperationalError("the socket handshake gave up before its database call ran")
            if connection.connection is None:
                _bound_pool_waits()
        return func(*args, **kwargs)

    return run


def socket_db(func):
    """``database_sync_to_async(func)``, on the socket threads rather than the single one.

    Called while a socket is being set up (``handshake_db_wait``), ``func`` waits for a
    pooled connection only as long as the handshake may, and the caller waits no longer than
    that either, time in the threads' queue included (``OperationalError`` past it): during an
    outage the threads may all be busy waiting for the database on behalf of open sockets."""
    call = DatabaseSyncToAsync(_in_socket_thread(func), thread_sensitive=False, executor=_threads())

    async def run(*args, **kwargs):
        handshake = _handshake.get()
        if handshake is None:
            return await call(*args, **kwargs)
        left = max(0.05, _handshake_deadline(handshake) - time.monotonic())
        try:
            return await asyncio.wait_for(call(*args, **kwargs), left)
        except TimeoutError as exc:
            # Left to finish in its thread: its own wait for a connection has run out by then.
            raise OperationalError("the database did not answer within the socket handshake's wait") from exc

    return run


@contextlib.contextmanager
def handshake_db_wait(started: float | None = None):
    """Within this block (a socket's set-up, up to its ``accept``), ``socket_db`` calls wait
    for a database connection at most ``SOCKET_HANDSHAKE_DB_TIMEOUT_S``."""
    token = _handshake.set((started or time.monotonic(), settings.SOCKET_HANDSHAKE_DB_TIMEOUT_S))
    try:
        yield
    finally:
        _handshake.reset(token)


def handshake_done() -> None:
    """The socket is accepted: its later database calls wait as long as any other."""
    _handshake.set(None)


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
        started = time.monotonic()
        scope[HANDSHAKE_STARTED] = started
        try:
            with handshake_db_wait(started):
                scope["user"]._wrapped = await socket_db(get_user.func)(scope)
        except Exception as exc:
            if not is_infrastructure_error(exc):
                raise
            # Answered by the consumer (``JsonConsumer``): accepted, ``unavailable``, 4503.
            scope["user"]._wrapped = AnonymousUser()
            scope[HANDSHAKE_FAILURE] = exc


def SocketAuthMiddlewareStack(inner):  # noqa: N802 - named as Channels' AuthMiddlewareStack
    return CookieMiddleware(SessionMiddleware(SocketAuthMiddleware(inner)))
