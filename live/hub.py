"""The per-process fan-out of live-game messages ("the hub").

A game message is encoded once by the process that made it (``live.publish``) and crosses
to each worker process once: over one Redis pub/sub channel per game (``REDIS_URL`` set), to
which each worker subscribes once, whatever its number of sockets; or straight into the
hub of this process (the embedded default; the in-memory channel layer is not used for
games, since its cost per delivery grows with the number of sockets).

Each worker then writes the frame to its own sockets of that game *without* a channel-layer
dispatch, a JSON encoding or a database hop per socket. Under Daphne the frame is framed once
(RFC 6455 header + UTF-8 payload, ``Prepared``) and handed to each connection's Twisted
transport; elsewhere (tests' ``WebsocketCommunicator``) it goes through the consumer's ASGI
``send`` in order.

Only the loop thread touches the hub's rooms. Other threads reach it through ``publish``
(``loop.call_soon_threadsafe`` or Redis).
"""

import asyncio
import json
import logging
import time

from django.conf import settings

from core.realtime.protocol import CLOSE_FORBIDDEN, Msg, live_channel
from core.realtime.wire import Prepared, Sink
from live import frames

logger = logging.getLogger(__name__)

PLAYERS = 1
SCREENS = 2
EVERYONE = PLAYERS | SCREENS
IDLE_ROOM_S = 30.0

# Envelope kinds (between processes).
FRAME = "F"  # (kind, audience, version, is_state, text)
PERSONAL = "Y"  # (kind, {"i": index, "r": {player_id: row}})
KICK = "K"  # (kind, {"p": player_id, "m": message})


class Room:
    __slots__ = ("empty_since", "players", "ready", "screens", "state", "version")

    def __init__(self):
        self.players: dict[int, dict[Sink, None]] = {}
        self.screens: dict[Sink, None] = {}
        self.state: Prepared | None = None  # the players' latest live.state (the snapshot)
        self.version = -1
        self.ready: asyncio.Future | None = None
        self.empty_since: float | None = None

    def is_empty(self) -> bool:
        return not self.players and not self.screens


class Hub:
    def __init__(self):
        self.loop: asyncio.AbstractEventLoop | None = None
        self.rooms: dict[int, Room] = {}
        self.served: set[int] = set()  # games this process has had sockets of or changed (clock)
        self._redis = None
        self._pubsub = None
        self._reader: asyncio.Task | None = None
        self._sweeper: asyncio.Task | None = None
        self.delivered = 0  # frames written (statistics for the bench and tests)

    # --- lifecycle ----------------------------------------------------------------------
    def bind(self) -> None:
        """Attach to the running loop (a new loop, e.g. in tests, starts afresh)."""
        loop = asyncio.get_running_loop()
        if self.loop is loop and self.loop.is_running():
            return
        self.loop = loop
        self.rooms = {}
        self.served = set()
        self._redis = self._pubsub = self._reader = None
        self._sweeper = loop.create_task(self._sweep(), name="live-hub-sweeper")
        from live.clock import clock

        clock.start()

    async def shutdown(self) -> None:
        """Stop background tasks and drop rooms (tests)."""
        from live.clock import clock

        await clock.stop()
        for task in (self._reader, self._sweeper):
            if task is not None:
                task.cancel()
        if self._pubsub is not None:
            try:
                await self._pubsub.aclose()
                await self._redis.aclose()
            except Exception:
                logger.debug("closing the hub's redis connection failed", exc_info=True)
        self.rooms = {}
        self.served = set()
        self._redis = self._pubsub = self._reader = self._sweeper = None
        self.loop = None

    # --- membership -----------------------------------------------------------------------
    async def add_player(self, game_id: int, player_id: int, sink: Sink) -> Room:
        room = await self._room(game_id)
        room.players.setdefault(player_id, {})[sink] = None
        room.empty_since = None
        return room

    async def add_screen(self, game_id: int, sink: Sink) -> Room:
        room = await self._room(game_id)
        room.screens[sink] = None
        room.empty_since = None
        return room

    def remove(self, game_id: int, sink: Sink, player_id: int | None = None) -> None:
        room = self.rooms.get(game_id)
        if room is None:
            return
        room.screens.pop(sink, None)
        if player_id is not None:
            sinks = room.players.get(player_id)
            if sinks is not None:
                sinks.pop(sink, None)
                if not sinks:
                    del room.players[player_id]
        if room.is_empty():
            room.empty_since = time.monotonic()

    async def _room(self, game_id: int) -> Room:
        self.bind()
        room = self.rooms.get(game_id)
        self.served.add(game_id)
        if room is None:
            room = self.rooms[game_id] = Room()
            room.ready = self.loop.create_future()
            try:
                if settings.REDIS_URL:
                    await self._subscribe(game_id)
                await self._load_state(game_id, room)
            except BaseException as exc:
                del self.rooms[game_id]
                room.ready.set_exception(exc)
                room.ready.exception()  # mark retrieved
                raise
            room.ready.set_result(True)
        elif not room.ready.done():
            await asyncio.shield(room.ready)
        return room

    async def _load_state(self, game_id: int, room: Room) -> None:
        from asgiref.sync import sync_to_async

        from live.selectors import state_for_players

        payload = await sync_to_async(state_for_players)(game_id)
        if payload is not None and payload["v"] > room.version:
            room.version = payload["v"]
            room.state = Prepared(frames.encode(payload))

    # --- delivery -------------------------------------------------------------------------
    def deliver(self, game_id: int, envelope: tuple) -> None:
        """Write one envelope to this process's sockets of the game (loop thread only)."""
        room = self.rooms.get(game_id)
        if room is None:
            return
        kind = envelope[0]
        if kind == FRAME:
            _kind, audience, version, is_state, text = envelope
            if is_state:
                if version <= room.version:
                    return  # an older transition that arrived late: never show it
                room.version = version
            prepared = Prepared(text)
            if is_state:
                room.state = prepared
            n = 0
            if audience & PLAYERS:
                for sinks in room.players.values():
                    for sink in sinks:
                        sink.write(prepared)
                        n += 1
            if audience & SCREENS:
                for sink in room.screens:
                    sink.write(prepared)
                    n += 1
            self.delivered += n
        elif kind == PERSONAL:
            body = envelope[1]
            index, rows = body["i"], body["r"]
            for player_id, sinks in room.players.items():
                row = rows.get(str(player_id))
                if row is None:
                    continue
                prepared = Prepared(frames.encode(frames.you_payload(player_id, index, row)))
                for sink in sinks:
                    sink.write(prepared)
        elif kind == KICK:
            body = envelope[1]
            sinks = room.players.pop(body["p"], {})
            text = frames.encode({"type": Msg.LIVE_KICKED, "message": body["m"]})
            for sink in list(sinks):
                sink.write_text(text)
                sink.consumer.kicked = True
                self.loop.create_task(sink.consumer.close(code=CLOSE_FORBIDDEN))

    # --- redis ------------------------------------------------------------------------------
    async def _subscribe(self, game_id: int) -> None:
        if self._pubsub is None:
            import redis.asyncio as aioredis

            self._redis = aioredis.Redis.from_url(settings.REDIS_URL, socket_timeout=None)
            self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await self._pubsub.subscribe(redis_channel(game_id))
        if self._reader is None or self._reader.done():
            self._reader = self.loop.create_task(self._read(), name="live-hub-reader")

    async def _read(self) -> None:
        failing = False
        while True:
            try:
                message = await self._pubsub.get_message(timeout=None)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - Redis away: retried until it is back
                if not failing:  # once per outage, not twice a second
                    logger.warning("live hub: redis read failed (%s: %s); retrying", type(exc).__name__, exc)
                failing = True
                await asyncio.sleep(0.5)
                continue
            if failing:
                logger.warning("live hub: redis read works again")
                failing = False
            if message is None or message.get("type") != "message":
                continue
            try:
                game_id = int(message["channel"].rsplit(b"-", 1)[1])
                self.deliver(game_id, decode(message["data"]))
            except Exception:
                logger.exception("live hub: could not deliver a message")

    async def _sweep(self) -> None:
        """Drop rooms nobody here has watched for a while (and their Redis subscription)."""
        while True:
            await asyncio.sleep(IDLE_ROOM_S / 3)
            now = time.monotonic()
            for game_id, room in list(self.rooms.items()):
                if room.is_empty() and room.empty_since is not None and now - room.empty_since > IDLE_ROOM_S:
                    del self.rooms[game_id]
                    if self._pubsub is not None:
                        try:
                            await self._pubsub.unsubscribe(redis_channel(game_id))
                        except Exception:
                            logger.warning("live hub: unsubscribe failed", exc_info=True)


def redis_channel(game_id: int) -> str:
    return f"{settings.REDIS_PREFIX}:{live_channel(game_id)}"


def encode_envelope(envelope: tuple) -> bytes:
    kind = envelope[0]
    if kind == FRAME:
        _kind, audience, version, is_state, text = envelope
        return f"{FRAME}{audience}:{version}:{int(is_state)}:".encode() + text.encode()
    return kind.encode() + json.dumps(envelope[1], separators=(",", ":")).encode()


def decode(data: bytes) -> tuple:
    kind = chr(data[0])
    if kind == FRAME:
        audience, version, is_state, text = data[1:].split(b":", 3)
        return (FRAME, int(audience), int(version), is_state == b"1", text.decode())
    return (kind, json.loads(data[1:]))


hub = Hub()
