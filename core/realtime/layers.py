"""The Redis channel layer, made to outlive Redis: sockets open and work while it is down.

Channels asks the layer for a channel before a consumer's ``connect()`` runs, so with
channels-redis alone every new socket dies at the handshake while Redis is down, and a
``group_add``/``group_discard`` that raises takes the handler (and its reply) with it.
Nothing a socket does for its own pupil needs Redis: the layer only carries messages
between processes (an attempt closed on another device or by the clock, board pushes,
site notices). So ``ResilientChannelLayer`` keeps the process's own bookkeeping when Redis
fails and puts Redis right afterwards:

- ``new_channel`` names the channel and registers it in the process even when Redis
  cannot subscribe it;
- ``group_add``/``group_discard`` always change the process's groups (which route the
  messages that arrive); ``send``/``group_send`` to other processes are dropped while Redis
  is down (a board push, an ``attempt.closed`` to another device: what depends on them
  says how it catches up, docs/reliability.md);
- ``receive`` never raises for Redis: it waits on the channel's queue in the process;
- after any failure, a reconciler task subscribes on Redis exactly the channels and groups
  the process holds, and unsubscribes the ones it dropped, every ``RETRY_S`` until a pass
  succeeds. Connections that were subscribed before the failure are subscribed again by
  redis-py when it reconnects.

One warning is logged when Redis goes away and one when it is back, not one per socket.
"""

import asyncio
import contextlib
import logging
import time
import uuid
import weakref

from channels_redis.pubsub import RedisPubSubChannelLayer

from core.errors import is_infrastructure_error

logger = logging.getLogger(__name__)

RETRY_S = 1.0
# A Redis call that takes longer than this counts as failed (a host that drops packets
# would otherwise hold the shard's lock, and every socket behind it, for minutes).
CALL_TIMEOUT_S = 3.0


class _QuietWhileDown(logging.Filter):
    """channels-redis logs a traceback a second from its receive task while Redis is down;
    this layer logs the outage once instead. When Redis comes back, the receive task and a
    subscribe may both reconnect the one pub/sub connection at once, and redis-py refuses the
    second read (a RuntimeError); the receive task tries again a second later, so that is part
    of the outage too."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None:
            return True
        if isinstance(exc, RuntimeError) and "already waiting for incoming data" in str(exc):
            return False
        return not is_infrastructure_error(exc)


logging.getLogger("channels_redis.pubsub").addFilter(_QuietWhileDown())


class ResilientChannelLayer(RedisPubSubChannelLayer):
    """``channels_redis.pubsub.RedisPubSubChannelLayer`` that degrades instead of raising."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.redis_ok = True
        self._failed_at = 0.0
        # One reconciler per event loop that holds channels (Daphne has one loop; sync code
        # sending through ``async_to_sync`` runs short-lived loops that hold none).
        self._reconcilers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    # --- state ---------------------------------------------------------------------------
    def _failed(self, what: str, exc: BaseException) -> None:
        self._failed_at = time.monotonic()
        if self.redis_ok:
            self.redis_ok = False
            logger.warning("Redis is unavailable (%s: %s: %s); sockets go on without it", what, type(exc).__name__, exc)
        self._reconcile_soon()

    def _back(self) -> None:
        if not self.redis_ok:
            logger.warning("Redis is back; the channel layer's subscriptions are restored")
        self.redis_ok = True

    def _reconcile_soon(self) -> None:
        loop = asyncio.get_running_loop()
        layer = self._get_layer()
        if not (layer.channels or layer.groups):
            return  # nothing to restore in this loop; its next call after RETRY_S tries Redis
        task = self._reconcilers.get(loop)
        if task is None or task.done():
            self._reconcilers[loop] = loop.create_task(self._reconcile_loop())

    async def _call(self, what: str, coro) -> bool:
        """Await ``coro``; False (and the failure noted) when Redis failed under it.

        For ``RETRY_S`` after a failure the call is not even tried (the reconciler puts the
        subscriptions right afterwards): a socket opening during an outage waits for nothing,
        even when Redis's host drops packets rather than refusing connections. After that a
        call tries Redis again, so a process without sockets (the clock) finds it back too.
        """
        if not self.redis_ok and time.monotonic() - self._failed_at < RETRY_S:
            coro.close()
            self._reconcile_soon()
            return False
        try:
            await asyncio.wait_for(coro, CALL_TIMEOUT_S)
        except Exception as exc:
            if not (is_infrastructure_error(exc) or isinstance(exc, TimeoutError)):
                raise
            self._failed(what, exc)
            return False
        if not self.redis_ok and not self._reconcilers.get(asyncio.get_running_loop()):
            self._back()  # no subscriptions to restore here: the call working is enough
        return True

    # --- the channel layer API -----------------------------------------------------------
    async def new_channel(self, prefix="specific."):
        layer = self._get_layer()
        channel = f"{layer.prefix}{prefix}{uuid.uuid4().hex}"
        layer.channels[channel] = asyncio.Queue()  # routed here as soon as Redis delivers
        await self._call("subscribe", layer._get_shard(channel).subscribe(channel))
        return channel

    async def receive(self, channel):
        layer = self._get_layer()
        if channel not in layer.channels:
            layer.channels[channel] = asyncio.Queue()
            await self._call("subscribe", layer._get_shard(channel).subscribe(channel))
        queue = layer.channels[channel]
        try:
            message = await queue.get()
        except (asyncio.CancelledError, GeneratorExit):
            # The consumer is leaving (Channels has no delete_channel): forget the channel,
            # and unsubscribe it now or, with Redis down, in the reconciler's next pass.
            if layer.channels.get(channel) is queue:
                del layer.channels[channel]
                with contextlib.suppress(Exception):
                    await self._call("unsubscribe", layer._get_shard(channel).unsubscribe(channel))
            raise
        return self.deserialize(message)

    async def group_add(self, group, channel):
        layer = self._get_layer()
        group_channel = layer._get_group_channel_name(group)
        layer.groups.setdefault(group_channel, set()).add(channel)
        await self._call("group_add", layer._get_shard(group_channel).subscribe(group_channel))

    async def group_discard(self, group, channel):
        layer = self._get_layer()
        group_channel = layer._get_group_channel_name(group)
        members = layer.groups.get(group_channel)
        if not members or channel not in members:
            return
        members.discard(channel)
        if not members:
            del layer.groups[group_channel]
            await self._call("group_discard", layer._get_shard(group_channel).unsubscribe(group_channel))

    async def send(self, channel, message):
        layer = self._get_layer()
        await self._call("send", layer._get_shard(channel).publish(channel, self.serialize(message)))

    async def group_send(self, group, message):
        layer = self._get_layer()
        group_channel = layer._get_group_channel_name(group)
        await self._call("group_send", layer._get_shard(group_channel).publish(group_channel, self.serialize(message)))

    async def forget(self, channel) -> None:
        """Drop a channel this process made and will not read again (``/healthz``'s)."""
        layer = self._get_layer()
        if layer.channels.pop(channel, None) is not None:
            await self._call("unsubscribe", layer._get_shard(channel).unsubscribe(channel))

    async def flush(self):
        for task in self._reconcilers.values():
            task.cancel()
        self._reconcilers.clear()
        self.redis_ok = True
        await self._get_layer().flush()

    # --- putting Redis right ---------------------------------------------------------------
    async def reconcile(self) -> bool:
        """Make each shard's subscriptions match the process's channels and groups; True
        when every call succeeded."""
        layer = self._get_layer()
        wanted = set(layer.channels) | set(layer.groups)
        for shard in layer._shards:
            mine = {name for name in wanted if layer._get_shard(name) is shard}
            try:
                for name in sorted(mine - shard._subscribed_to):
                    await asyncio.wait_for(shard.subscribe(name), CALL_TIMEOUT_S)
                for name in sorted(shard._subscribed_to - mine):
                    await asyncio.wait_for(shard.unsubscribe(name), CALL_TIMEOUT_S)
                # A publish proves the connection works (subscriptions alone may all exist).
                await asyncio.wait_for(shard.publish(f"{layer.prefix}reconcile", b""), CALL_TIMEOUT_S)
            except Exception as exc:
                if not (is_infrastructure_error(exc) or isinstance(exc, TimeoutError)):
                    raise
                return False
        return True

    async def _reconcile_loop(self) -> None:
        while True:
            await asyncio.sleep(RETRY_S)
            try:
                done = await self.reconcile()
            except Exception:
                logger.exception("could not restore the channel layer's subscriptions")
                done = False
            if done:
                self._back()
                return
