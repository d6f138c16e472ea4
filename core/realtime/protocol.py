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

    # Contest rounds, student socket (/ws/contest/rounds/<id>/)
    ROUND_SNAPSHOT = "round.snapshot"  # {"type", "round", "attempt", "server_now"}: full state
    ATTEMPT_START = "attempt.start"  # (c) {"type", "ref"}: start (or resume) an attempt
    ANSWER_SAVE = "answer.save"  # (c) {"type", "ref", "question", "response"}
    ANSWER_SAVED = "answer.saved"  # {"type", "ref", "question", "saved_at", "changed", "result"}
    ATTEMPT_PREDICT = "attempt.predict"  # (c) {"type", "ref", "value"}
    ATTEMPT_PREDICTED = "attempt.predicted"  # {"type", "ref", "value"}
    ATTEMPT_SUBMIT = "attempt.submit"  # (c) {"type", "ref"}
    ATTEMPT_CLOSED = "attempt.closed"  # {"type", "ref", "attempt", "status", "result_url", "server_now"}
    ROUND_CLOSED = "round.closed"  # {"type", "round", "attempt", "result_url", "server_now"}: the round ended
    # Contest rounds, organiser monitor (/ws/contest/rounds/<id>/monitor/)
    MONITOR_UPDATE = "monitor.update"  # {"type", "round", "counts", "per_minute", "top", "server_now"}
    # Live games: players (/ws/live/<game>/play/), host and projector (/ws/live/<game>/host/, /screen/)
    LIVE_JOIN = "live.join"  # (c) {"type", "ref", "pin", "nickname" | "student" + "class_code", "team"}
    LIVE_RESUME = "live.resume"  # (c) {"type", "ref", "token"}: come back as the same player
    LIVE_JOINED = "live.joined"  # {"type", "ref", "token", "player"}
    LIVE_STATE = "live.state"  # {"type", "game", "v", "phase", "index", "total", "deadline", ...}: to all
    LIVE_YOU = "live.you"  # {"type", "player", "index", "answered", "score", "rank", ...}: own standing
    LIVE_ANSWER = "live.answer"  # (c) {"type", "ref", "index", "response"}
    LIVE_ANSWERED = "live.answered"  # {"type", "ref", "index", "saved_at"}: stored (never right/wrong)
    LIVE_COUNT = "live.count"  # host/screen: {"type", "index", "answered", "players"}
    LIVE_LOBBY = "live.lobby"  # host/screen: {"type", "players", "joined", "changed", "removed"}
    LIVE_KICKED = "live.kicked"  # {"type", "message"}, then close 4403
    # Live boards (/ws/leaderboard/rounds/<id>/, /ws/leaderboard/contests/<id>/)
    BOARD_VIEW = "board.view"  # (c) {"type", "ref", "board"}: follow another board of the scope
    BOARD_SNAPSHOT = "board.snapshot"  # {"type", "ref", "scope", "id", "board", "frozen", "total", "top", "me", ...}
    BOARD_UPDATE = "board.update"  # same fields as board.snapshot: sent at most about once a second


class Event:
    """Channel-layer event types (between processes, never on the wire). Each names the
    consumer method that handles it ("site.notice" -> ``site_notice``)."""

    SITE_NOTICE = "site.notice"  # {"level", "text"} to SITE_GROUP
    HEALTHZ_PING = "healthz.ping"  # /healthz round trip through the layer
    CONTEST_ATTEMPT_CLOSED = "contest.attempt_closed"  # {"attempt", "status"} to attempt_group(id)
    CONTEST_ROUND_CLOSED = "contest.round_closed"  # {"round"} to round_group(id): closed and finalized
    LEADERBOARD_CHANGED = "leaderboard.changed"  # {} to board_group(...): read your slice again


# Groups. Names must be ASCII letters, digits, hyphens, underscores or periods (< 100 chars).
SITE_GROUP = "site"  # every open page with a clock: site-wide notices


def attempt_group(attempt_id: int) -> str:
    """Every open socket of one contest attempt (several tabs or devices): told when it closes."""
    return f"contest-attempt-{attempt_id}"


def round_group(round_id: int) -> str:
    """Every pupil's open socket of one window round: told when the round closes."""
    return f"contest-round-{round_id}"


def board_group(scope: str, scope_id: int, *, staff: bool) -> str:
    """Sockets following the boards of one round (scope "round") or contest ("contest").
    Staff groups see the live board; the others see the frozen one after a freeze."""
    return f"board-{scope}-{scope_id}{'-staff' if staff else ''}"


def live_channel(game_id: int) -> str:
    """The pub/sub channel of one live game: every worker holding one of its sockets listens
    once (``live.hub``); messages on it are pre-encoded frames, not channel-layer events."""
    return f"live-game-{game_id}"


# Close codes: the 4xxx mirror HTTP statuses, so a client can tell why it was closed.
CLOSE_BAD_REQUEST = 4400
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_GONE = 4410
CLOSE_RATE_LIMITED = 4429
# Failures while a socket is set up, after an `error` event; the client reconnects with back-off.
# (autobahn lets an application close only with 1000 or 3000-4999, hence not 1011/1013.)
CLOSE_SERVER_ERROR = 4500  # a bug
CLOSE_TRY_AGAIN_LATER = 4503  # the database or Redis did not answer
# RFC 6455 codes the websocket layer (autobahn, under Daphne) sends for frames it cannot read.
CLOSE_PROTOCOL_ERROR = 1002  # a frame that breaks RFC 6455 (e.g. unmasked)
CLOSE_INVALID_DATA = 1007  # a text frame that is not UTF-8
CLOSE_MESSAGE_TOO_BIG = 1009  # a fragmented message over Daphne's 1 MiB (a whole frame gets bad_frame)


def all_types() -> set[str]:
    return {v for k, v in vars(Msg).items() if k.isupper() and isinstance(v, str)}


def all_events() -> set[str]:
    return {v for k, v in vars(Event).items() if k.isupper() and isinstance(v, str)}


def all_close_codes() -> dict[str, int]:
    return {k: v for k, v in globals().items() if k.startswith("CLOSE_") and isinstance(v, int)}
