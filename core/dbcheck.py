"""The pool's check of a connection before lending it, without a round trip when it can tell.

The PostgreSQL pool checks each connection it lends (``CONN_HEALTH_CHECKS``), so one that
died with a database restart is replaced rather than used: psycopg's check sends an empty
query and waits for the answer. Every websocket handshake, snapshot and answer batch borrows
a connection, so when a worker dies and its pupils all come back to another one, these round
trips were a sixth of the socket threads' time (``bench/resume.py`` under py-spy).

A server that restarts, or ends a session for any reason, tells the client: it sends its
goodbye (``FATAL: terminating connection...``) and closes the socket, and either makes the
socket readable. An idle pooled connection has nothing to read otherwise. So: when the socket
has nothing to read and the connection is idle, it is lent as it is; when it has (or its state
is anything but idle), psycopg's full check decides. A connection whose peer vanished
without a word (a cable cut, not a restart) is found by its first query instead, which fails
as any query would, and the pool replaces it.
"""

import select

from psycopg.pq import TransactionStatus


def check_connection(conn) -> None:
    """Raise when ``conn`` is not fit to lend (as ``ConnectionPool.check_connection``)."""
    if not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE:
        try:
            readable, _w, _x = select.select([conn.fileno()], [], [], 0)
        except (OSError, ValueError):
            readable = True
        if not readable:
            return
    _psycopg_check(conn)


_psycopg_check = None


def install() -> None:
    """Make the pools Django creates use ``check_connection`` (Django passes
    ``ConnectionPool.check_connection`` as the pool's check when health checks are on)."""
    global _psycopg_check
    try:
        from psycopg_pool import ConnectionPool
    except ImportError:  # SQLite only: no pool
        return
    if _psycopg_check is None:
        _psycopg_check = ConnectionPool.check_connection
        ConnectionPool.check_connection = staticmethod(check_connection)
