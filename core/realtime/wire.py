"""Websocket frames on Daphne's wire: straight writes (``Sink``) and a fast reader.

Writing. Daphne writes each ASGI ``websocket.send`` through autobahn's ``sendMessage`` and
Twisted's transport, and Twisted's ``write`` never tries the socket at once: it buffers the
bytes and asks the event loop to watch the socket for writability (an ``epoll_ctl`` to add,
one more loop turn to write, another ``epoll_ctl`` to remove). Measured on the answer path
that was a third of the event loop's time per acknowledgement (docs/contest.md, "The write
path"). ``Sink`` frames a text once (``Prepared``, RFC 6455 header and UTF-8 payload; servers
do not mask) and hands it to the socket with one ``send()`` when nothing is queued on the
connection, as asyncio's own transports do; otherwise behind what is queued, through
Twisted's transport, which keeps the order. A compressed or otherwise special connection goes
through autobahn's ``sendMessage``. Outside Daphne (tests' ``WebsocketCommunicator``) frames
go through the consumer's ASGI ``send`` in order.

Reading. autobahn parses every incoming frame through a chain of per-frame objects and
callbacks (a masker object, frame and message begin/end hooks, a Twisted Deferred per
message): 40% of the event loop's time per answer. ``install_fast_reader`` puts a reader in
front of it for one connection. The reader takes only what is common and simple: whole,
unfragmented, masked text frames of up to 64 KiB that arrive while autobahn holds nothing
buffered, are valid UTF-8 and fit autobahn's size limits; it unmasks them and hands them to
Daphne's ``onMessage``, exactly where autobahn would have. Everything else (pings, pongs,
closes, binary, fragments, partial frames, compression, bad UTF-8) goes to autobahn, from
that byte on, with nothing consumed, so its checks and errors are unchanged. A whole frame
over the consumer's limit (counted in bytes) is skipped as it arrives and answered
``bad_frame`` by the consumer, however large: autobahn would drop the connection at 1 MiB.

Both read private attributes of Daphne, autobahn and Twisted (the versions are pinned in
constraints.txt). When a server's first websocket finds them missing, ``report_fast_path``
logs one warning and the sockets fall back to the libraries' own paths (correct, slower);
when they are there it logs one INFO line saying the fast path is engaged.
"""

import asyncio
import collections
import functools
import logging

logger = logging.getLogger(__name__)

WS_SEND = "websocket.send"  # the ASGI message type
_STATE_OPEN = 3  # autobahn's WebSocketProtocol.STATE_OPEN
_reported = False


class Prepared:
    """One frame, encoded and framed once for every socket."""

    __slots__ = ("frame", "text")

    def __init__(self, text: str):
        self.text = text
        payload = text.encode()
        n = len(payload)
        if n < 126:
            header = bytes((0x81, n))
        elif n < 65536:
            header = bytes((0x81, 126)) + n.to_bytes(2, "big")
        else:
            header = bytes((0x81, 127)) + n.to_bytes(8, "big")
        self.frame = header + payload


def _daphne_protocol(send):
    """The Twisted websocket protocol behind an ASGI ``send``, or None outside Daphne.

    Daphne hands each application ``partial(server.handle_reply, protocol)``; Channels'
    session middleware may wrap it in a bound ``send`` holding ``real_send``.
    """
    for _depth in range(4):
        if isinstance(send, functools.partial) and getattr(send.func, "__name__", "") == "handle_reply":
            proto = send.args[0] if send.args else None
            return proto if hasattr(proto, "sendMessage") and hasattr(proto, "transport") else None
        owner = getattr(send, "__self__", None)
        send = getattr(owner, "real_send", None)
        if send is None:
            return None
    return None


def _raw_tcp(proto):
    """Twisted's plain TCP transport under ``proto`` (not TLS), or None."""
    transport = getattr(proto, "transport", None)
    try:
        from twisted.internet import tcp
    except ImportError:  # pragma: no cover - Daphne always brings Twisted
        return None
    if isinstance(transport, tcp.Connection) and hasattr(transport, "socket"):
        return transport
    return None


class Sink:
    """Writes frames to one websocket, in order.

    Under Daphne a frame goes to the connection's socket with one ``send()`` when nothing is
    queued on it (as asyncio's transports do), else behind what is queued through Twisted's
    transport, which keeps the order; a compressed or otherwise special connection goes
    through autobahn's ``sendMessage``.
    """

    __slots__ = ("consumer", "pending", "proto", "task", "tcp")

    def __init__(self, consumer):
        self.consumer = consumer
        self.proto = _daphne_protocol(consumer.base_send)
        self.tcp = _raw_tcp(self.proto) if self.proto is not None else None
        self.pending: collections.deque | None = None if self.proto is not None else collections.deque()
        self.task = None

    def write(self, prepared: Prepared) -> None:
        proto = self.proto
        if proto is not None:
            if proto.state != _STATE_OPEN:
                return
            if proto.send_queue or proto._perMessageCompress is not None or proto.transport is None:
                proto.sendMessage(prepared.text.encode(), False)
                return
            t = self.tcp
            if t is not None and t.connected and not t._tempDataLen and len(t.dataBuffer) == t.offset:
                frame = prepared.frame
                try:
                    sent = t.socket.send(frame)
                except (BlockingIOError, InterruptedError):
                    sent = 0
                except OSError:
                    return  # the connection is broken; Twisted notices and closes it
                if sent < len(frame):
                    t.write(frame[sent:])
                return
            proto.transport.write(prepared.frame)
            return
        self.pending.append(prepared.text)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._drain())

    def write_text(self, text: str) -> None:
        self.write(Prepared(text))

    async def flush(self) -> None:
        """Wait until every frame written so far has been handed over (before a close)."""
        task = self.task
        if task is not None and not task.done():
            await asyncio.shield(task)

    async def _drain(self) -> None:
        while self.pending:
            text = self.pending.popleft()
            try:
                await self.consumer.base_send({"type": WS_SEND, "text": text})
            except Exception:  # noqa: BLE001 - a closed socket: drop what is left
                self.pending.clear()
                return


def _unmask(payload: bytes, mask: bytes) -> bytes:
    """XOR the payload with the 4-byte mask (RFC 6455 5.3), as two big integers."""
    n = len(payload)
    if not n:
        return payload
    key = (mask * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "little") ^ int.from_bytes(key, "little")).to_bytes(n, "little")


def parse_text_frames(data: bytes, limit: int = 0) -> tuple[list[bytes], int]:
    """The simple text frames at the start of ``data`` and how many bytes they take.

    Stops, without consuming it, at the first frame that is not a whole, final, masked,
    uncompressed text frame of at most 65,535 bytes (and ``limit`` when non-zero) whose payload
    is valid UTF-8.
    """
    messages = []
    pos, end = 0, len(data)
    while end - pos >= 6:
        b1 = data[pos + 1]
        if data[pos] != 0x81 or b1 < 0x80:  # FIN + text, no RSV bits; masked
            break
        n = b1 & 0x7F
        start = pos + 6
        if n == 126:
            start = pos + 8
            if end < start:
                break
            n = int.from_bytes(data[pos + 2 : pos + 4], "big")
        elif n == 127:
            break
        stop = start + n
        if stop > end or (limit and n > limit):
            break
        payload = _unmask(data[start:stop], data[start - 4 : start])
        try:
            payload.decode()
        except UnicodeDecodeError:
            break
        messages.append(payload)
        pos = stop
    return messages, pos


def oversize_frame(data: bytes, pos: int, limit: int) -> int:
    """The whole length (header, mask, payload) of the frame at ``data[pos:]`` when it is a
    final, masked text or binary frame whose payload is over ``limit`` bytes; 0 otherwise,
    and while its header has not all arrived."""
    have = len(data) - pos
    if have < 2:
        return 0
    b1 = data[pos + 1]
    if data[pos] not in (0x81, 0x82) or b1 < 0x80:
        return 0
    n, head = b1 & 0x7F, 2
    if n == 126:
        head = 4
        if have < head:
            return 0
        n = int.from_bytes(data[pos + 2 : pos + 4], "big")
    elif n == 127:
        head = 10
        if have < head:
            return 0
        n = int.from_bytes(data[pos + 2 : pos + 10], "big")
    return head + 4 + n if n > limit else 0


def install_fast_reader(proto, *, max_bytes: int = 0, on_oversize=None) -> bool:
    """Put the fast reader in front of autobahn's on this Daphne connection (once).

    With ``on_oversize``, a whole text or binary frame over ``max_bytes`` is skipped as its
    bytes arrive (never buffered, whatever its size) and ``on_oversize()`` is called once
    for it: the consumer answers ``bad_frame`` and the socket stays open. What autobahn still
    fails (a fragmented message over Daphne's 1 MiB, bad UTF-8, a protocol error) is closed
    with its RFC 6455 code (1009, 1007, 1002) instead of a dropped connection.
    """
    if proto is None or getattr(proto, "_hoithiso_fast_reader", False):
        return False
    if not all(hasattr(proto, a) for a in ("data", "current_frame", "inside_message", "onMessage", "state")):
        return False  # not the autobahn this was written against: leave it alone
    original = proto.dataReceived
    proto.failByDrop = False  # fail a connection with a close frame and its code, not a drop
    skip = 0  # bytes of an oversize frame still to come

    def data_received(data: bytes) -> None:
        nonlocal skip
        if skip:
            if len(data) <= skip:
                skip -= len(data)
                return
            data, skip = data[skip:], 0
        if (
            proto.state != _STATE_OPEN
            or proto.data
            or proto.current_frame is not None
            or proto.inside_message
            or proto._perMessageCompress is not None
        ):
            original(data)
            return
        limits = [x for x in (proto.maxFramePayloadSize, proto.maxMessagePayloadSize) if x]
        if on_oversize is not None and max_bytes:
            limits.append(max_bytes)
        limit = min(limits) if limits else 0
        messages, used = parse_text_frames(data, limit)
        for payload in messages:
            proto.onMessage(payload, False)
        while on_oversize is not None and used < len(data):
            total = oversize_frame(data, used, max_bytes)
            if not total:
                break
            on_oversize()
            if used + total > len(data):
                skip = used + total - len(data)
                return
            used += total
            messages, n = parse_text_frames(data[used:], limit)
            for payload in messages:
                proto.onMessage(payload, False)
            used += n
        if used < len(data):
            original(data[used:] if used else data)

    proto.dataReceived = data_received
    proto._hoithiso_fast_reader = True
    return True


def report_fast_path(scope: dict, sink: "Sink", reader_installed: bool) -> str | None:
    """Log, once per process, whether the first websocket a real server accepted got the fast
    writer and reader; returns the message logged (None when nothing was logged).

    Only a socket served by an ASGI server counts (its scope names the ``server``); a test's
    in-process communicator has no wire. A missing piece is a warning: the sockets still work,
    through the libraries' own (slower) paths, but the figures in docs/contest.md no longer hold.
    """
    global _reported
    if _reported or not scope.get("server"):
        return None
    _reported = True
    missing = []
    if sink.proto is None:
        missing.append("writer (no Daphne protocol behind the ASGI send)")
    else:
        if sink.tcp is None:
            missing.append("direct socket writes (no plain Twisted TCP transport)")
        if not reader_installed:
            missing.append("reader (autobahn's protocol lacks the attributes it reads)")
    if missing:
        message = "websocket fast path OFF, falling back for: " + "; ".join(missing)
        logger.warning(message)
    else:
        message = "websocket fast path engaged: writer and reader installed"
        logger.info(message)
    return message
