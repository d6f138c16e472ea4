"""Every websocket group name and message type of Hội thi Số, in one place.

``docs/realtime.md`` documents each of them; ``tests/core/test_realtime_protocol.py`` fails
when a type here is missing from the document, or when code sends a type not listed here.
Add a type here first, then use the constant.
"""

import time


def now_ms() -> int:
    """Server epoch milliseconds: the only clock timers trust."""
    return time.time_ns() // 1_000_000


class Msg:
    """Message types. Client-to-server types are marked (c); the rest the server sends."""

    # Time sync (/ws/time/)
    PING = "ping"  # (c) {"type", "id"}
    PONG = "pong"  # {"type", "id", "server_now"}
    NOTICE = "notice"  # {"type", "level", "text", "server_now"}: a site-wide announcement
    # Any endpoint
    ERROR = "error"  # {"type", "code", "message", "fields", "ref"}


class Event:
    """Channel-layer event types (between processes, never on the wire). Each names the
    consumer method that handles it ("site.notice" -> ``site_notice``)."""

    SITE_NOTICE = "site.notice"  # {"level", "text"} to SITE_GROUP
    HEALTHZ_PING = "healthz.ping"  # /healthz round trip through the layer


# Groups. Names must be ASCII letters, digits, hyphens, underscores or periods (< 100 chars).
SITE_GROUP = "site"  # every open page with a clock: site-wide notices


# Close codes: the 4xxx mirror HTTP statuses, so a client can tell why it was closed.
CLOSE_BAD_REQUEST = 4400
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_GONE = 4410
CLOSE_RATE_LIMITED = 4429


def all_types() -> set[str]:
    return {v for k, v in vars(Msg).items() if k.isupper() and isinstance(v, str)}


def all_events() -> set[str]:
    return {v for k, v in vars(Event).items() if k.isupper() and isinstance(v, str)}


def all_close_codes() -> dict[str, int]:
    return {k: v for k, v in globals().items() if k.startswith("CLOSE_") and isinstance(v, int)}
