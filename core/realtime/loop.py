"""The message loop of the app's websocket consumers: the one place that overrides Channels'.

- ``DirectDispatchMixin``: ``dispatch`` without Channels' per-message ``close_old_connections``
  thread hop. For consumers whose handlers touch the ORM only inside
  ``database_sync_to_async`` or a batcher (the live game's sockets).
- ``LeanDispatchMixin``: that dispatch, plus a plain read loop and one long-lived task for the
  channel layer instead of Channels' two tasks per message (the round socket).

Measured on this box, the live game's answer burst (``bench/live.py``, no channel layer) is
faster with Channels' own loop and the direct dispatch than with the lean loop (about 5,400
against 2,500 acknowledgements a second at 1,000 players), so the live sockets use only the
first.
"""

import asyncio
import contextlib

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.layers import get_channel_layer


class DirectDispatchMixin:
    """Channels' ``dispatch`` without the per-message ``close_old_connections`` thread hop."""

    async def dispatch(self, message):
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


class LeanDispatchMixin(DirectDispatchMixin):
    """A leaner message loop than Channels' default, for sockets that carry many small messages.

    Channels' ``AsyncConsumer.__call__`` waits on the client and the channel layer with
    ``asyncio.wait`` over two fresh tasks per message, and since Channels 4.2 its ``dispatch``
    runs ``close_old_connections`` in a worker thread before every handler. Measured on this
    app's answer path the two are over half the event loop's CPU per answer
    (docs/contest.md, "The write path"). Here the client's messages are read in a plain loop,
    the channel layer by one long-lived task, and a lock keeps handlers one at a time as
    before. Handlers touch the ORM only inside ``database_sync_to_async``, which cleans up
    connections itself, so the per-message hop buys nothing.

    Used by the round socket (``contest.consumers``).
    """

    async def __call__(self, scope, receive, send):
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.base_send = send
        self._dispatch_lock = asyncio.Lock()
        layer_task = None
        if self.channel_layer is not None:
            self.channel_name = await self.channel_layer.new_channel()
        try:
            while True:
                message = await receive()
                async with self._dispatch_lock:
                    await self.dispatch(message)
                if layer_task is None and self.channel_layer is not None:
                    # Started after ``websocket.connect`` has run, so the task inherits what
                    # it set up for the socket (the page's language); nobody knows the
                    # channel's name before then.
                    layer_task = asyncio.create_task(self._pump_layer())
        except StopConsumer:
            pass
        finally:
            if layer_task is not None:
                layer_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await layer_task

    async def _pump_layer(self):
        while True:
            message = await self.channel_layer.receive(self.channel_name)
            async with self._dispatch_lock:
                await self.dispatch(message)
