"""Events after the commit, in one place (as Zulip's ``send_event_on_commit``).

Every service that tells the outside world about a write (a socket event, a board update, a
follower hook) sends it with ``send_on_commit``: nothing is told about a transaction that rolls
back, and a failing event is logged and never undoes or delays the write that caused it. Outside
a transaction the event runs at once.

``group_send`` is the channel-layer send every app uses: from the server's event loop, from
another thread (the answer writers, timers, the clock), or from plain sync code.
"""

import asyncio
import logging
import sys
from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

_loop: asyncio.AbstractEventLoop | None = None


def _run(func: Callable, args: tuple, kwargs: dict) -> None:
    try:
        func(*args, **kwargs)
    except Exception:
        logger.exception("event %s after the commit failed", getattr(func, "__qualname__", func))


def send_on_commit(func: Callable, *args, **kwargs) -> None:
    """Call ``func(*args, **kwargs)`` once the current transaction commits (at once outside
    one); an exception is logged, not raised."""
    transaction.on_commit(lambda: _run(func, args, kwargs))


def remember_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Consumers register the server's event loop, so sends from other threads are scheduled
    on it: the in-memory layer is not thread-safe."""
    global _loop
    _loop = loop


def group_send(group: str, message: dict) -> None:
    """Send ``message`` to a channel-layer group from any thread; a failure is logged."""
    if sys.is_finalizing():
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        loop = _loop
        if loop is not None and loop.is_running() and not loop.is_closed() and running is not loop:
            asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop)
        elif running is not None:
            running.create_task(layer.group_send(group, message))  # sync code inside a running loop
        else:
            async_to_sync(layer.group_send)(group, message)
    except Exception:
        logger.warning("could not send %s to %s", message.get("type"), group, exc_info=True)
