"""Sending live-game messages from any thread, after the commit that made them (services
schedule them with ``core.realtime.events.send_on_commit``).

With ``REDIS_URL`` a message is PUBLISHed once on the game's channel and every worker's hub
(``live.hub``) delivers it to its sockets. Without Redis there is one process: the message is
handed to this process's hub on its event loop. A failed publish is logged and dropped: the
database is the record, and a client that missed a message gets the full state when it
reconnects (or at the next transition).
"""

import asyncio
import logging
import threading

from django.conf import settings

from live import frames
from live.hub import EVERYONE, FRAME, KICK, PERSONAL, SCREENS, encode_envelope, hub, redis_channel

logger = logging.getLogger(__name__)

_client = None
_client_lock = threading.Lock()


def _redis():
    global _client
    with _client_lock:
        if _client is None:
            import redis

            _client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=2)
        return _client


def publish(game_id: int, envelope: tuple) -> None:
    if settings.REDIS_URL:
        try:
            _redis().publish(redis_channel(game_id), encode_envelope(envelope))
        except Exception:
            logger.warning("live: could not publish to game %s", game_id, exc_info=True)
        return
    hub.served.add(game_id)  # this process changed the game: its clock drives it (live.clock)
    loop = hub.loop
    if loop is None or loop.is_closed():
        return  # no socket in this process: nobody to tell
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        hub.deliver(game_id, envelope)
    else:
        loop.call_soon_threadsafe(hub.deliver, game_id, envelope)


def state(game_id: int, payload: dict) -> None:
    """The new state, to everyone: encoded here, once."""
    publish(game_id, (FRAME, EVERYONE, payload["v"], True, frames.encode(payload)))


def screens(game_id: int, payload: dict) -> None:
    publish(game_id, (FRAME, SCREENS, 0, False, frames.encode(payload)))


def personal(game_id: int, index: int, rows: dict) -> None:
    publish(game_id, (PERSONAL, {"i": index, "r": rows}))


def kick(game_id: int, player_id: int, message: str) -> None:
    publish(game_id, (KICK, {"p": player_id, "m": message}))
