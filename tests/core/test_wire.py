"""Frames on Daphne's wire (core.realtime.wire): the fast reader and the straight writes.

The parser is checked on crafted frames; then a real Daphne process is driven over a raw
socket, so every shape the fast reader must hand to autobahn (fragments, control frames,
partial frames, bad UTF-8) is seen end to end, next to the simple frames it takes itself.
"""

import base64
import json
import os
import socket
import struct
import threading
import time

import pytest

from core.realtime.wire import install_fast_reader, parse_text_frames


def client_frame(payload: bytes, *, opcode: int = 0x1, fin: bool = True, mask: bytes | None = None) -> bytes:
    """A client frame: masked, as RFC 6455 requires (``mask=b""`` sends it unmasked)."""
    mask = os.urandom(4) if mask is None else mask
    first = (0x80 if fin else 0) | opcode
    n = len(payload)
    bit = 0x80 if mask else 0
    if n < 126:
        header = bytes((first, bit | n))
    elif n < 65536:
        header = bytes((first, bit | 126)) + struct.pack("!H", n)
    else:
        header = bytes((first, bit | 127)) + struct.pack("!Q", n)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload)) if mask else payload
    return header + mask + body


# --- the parser ---------------------------------------------------------------------------------


def test_whole_text_frames_are_taken_in_order():
    a, b = b"ping 1", "câu trả lời".encode()
    data = client_frame(a) + client_frame(b)
    assert parse_text_frames(data) == ([a, b], len(data))


def test_a_medium_frame_uses_the_16_bit_length():
    payload = ("đáp án " * 60).encode()  # over 125 bytes
    data = client_frame(payload)
    assert parse_text_frames(data) == ([payload], len(data))


def test_an_empty_text_frame_is_a_message():
    assert parse_text_frames(client_frame(b"")) == ([b""], 6)


@pytest.mark.parametrize(
    "frame",
    [
        client_frame(b"ping", opcode=0x9),  # control frame: autobahn answers it
        client_frame(b"part", fin=False),  # first fragment of a message
        client_frame(b"\x00\x01", opcode=0x2),  # binary
        client_frame(b"unmasked", mask=b""),  # a protocol violation: autobahn fails it
        client_frame("sai".encode("utf-16")),  # not UTF-8: autobahn fails the connection
        client_frame(b"x" * 70_000),  # 64-bit length
        bytes((0xC1,)) + client_frame(b"deflated")[1:],  # RSV1 set (compression)
    ],
    ids=["ping", "fragment", "binary", "unmasked", "utf16", "64-bit-length", "rsv1"],
)
def test_anything_else_is_left_for_autobahn_from_its_first_byte(frame):
    good = client_frame(b"first")
    assert parse_text_frames(good + frame) == ([b"first"], len(good))
    assert parse_text_frames(frame) == ([], 0)


def test_a_partial_frame_is_not_consumed():
    whole = client_frame(b"x" * 300)
    for cut in (1, 2, 5, 7, 100, len(whole) - 1):
        assert parse_text_frames(whole[:cut]) == ([], 0)


def test_the_size_limit_is_respected():
    frame = client_frame(b"x" * 200)
    assert parse_text_frames(frame, limit=100) == ([], 0)
    assert parse_text_frames(frame, limit=200) == ([b"x" * 200], len(frame))


class Connection:
    """Stands in for Daphne's autobahn protocol: the attributes the reader reads, and a record
    of what reached Daphne's ``onMessage`` and autobahn's own ``dataReceived``."""

    def __init__(self):
        self.state = 3  # open
        self.data = b""
        self.current_frame = None
        self.inside_message = False
        self._perMessageCompress = None
        self.maxFramePayloadSize = self.maxMessagePayloadSize = 0
        self.messages, self.to_autobahn = [], []

    def onMessage(self, payload, is_binary):
        self.messages.append(payload)

    def dataReceived(self, data):
        self.to_autobahn.append(data)


def test_the_reader_takes_simple_frames_and_hands_the_rest_on_unchanged():
    conn = Connection()
    assert install_fast_reader(conn) and not install_fast_reader(conn)  # once only
    rest = client_frame(b"hi", opcode=0x9) + client_frame(b"c")
    conn.dataReceived(client_frame(b"a") + client_frame(b"b") + rest)
    assert conn.messages == [b"a", b"b"]
    assert conn.to_autobahn == [rest]  # from the ping on, in order, even the simple frame after it


def test_the_reader_steps_aside_while_autobahn_holds_a_partial_frame():
    conn = Connection()
    install_fast_reader(conn)
    conn.data = b"\x81"  # autobahn is in the middle of a frame
    frame = client_frame(b"rest")
    conn.dataReceived(frame)
    assert conn.messages == [] and conn.to_autobahn == [frame]
    conn.data, conn.state = b"", 2  # closing: autobahn only
    conn.dataReceived(frame)
    assert conn.messages == [] and conn.to_autobahn == [frame, frame]


# --- a real Daphne ------------------------------------------------------------------------------


class RawSocket:
    """A websocket client over a plain socket, sending whatever bytes a test gives it."""

    def __init__(self, server, path: str = "/ws/time/"):
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: {server.url}\r\n\r\n"
            ).encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert b" 101 " in head.split(b"\r\n")[0], head

    def _recv(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        return chunk

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def frame(self) -> tuple[int, bytes]:
        """The next server frame: (opcode, payload)."""
        while True:
            if len(self.buffer) >= 2:
                n, pos = self.buffer[1] & 0x7F, 2
                if n == 126 and len(self.buffer) >= 4:
                    n, pos = struct.unpack("!H", self.buffer[2:4])[0], 4
                whole = (self.buffer[1] & 0x7F) < 127 and (n < 126 or pos == 4)
                if whole and len(self.buffer) >= pos + n:
                    opcode, payload = self.buffer[0] & 0x0F, self.buffer[pos : pos + n]
                    self.buffer = self.buffer[pos + n :]
                    return opcode, payload
            self.buffer += self._recv()

    def message(self) -> dict:
        opcode, payload = self.frame()
        assert opcode == 0x1, (opcode, payload)
        return json.loads(payload)

    def close(self) -> None:
        self.sock.close()


def ping(i) -> bytes:
    return json.dumps({"type": "ping", "id": i}).encode()


@pytest.fixture
def ws(live_server_asgi):
    client = RawSocket(live_server_asgi)
    yield client
    client.close()


def test_frames_split_and_joined_across_reads_arrive_in_order(ws):
    third = client_frame(ping(3))
    ws.send(client_frame(ping(1)) + client_frame(ping(2)) + third[:5])
    assert [ws.message()["id"] for _ in range(2)] == [1, 2]
    ws.send(third[5:] + client_frame(ping(4)))
    assert [ws.message()["id"] for _ in range(2)] == [3, 4]


def test_a_fragmented_message_goes_through_autobahn_then_the_fast_path_resumes(ws):
    text = ping(5)
    ws.send(client_frame(text[:6], fin=False) + client_frame(text[6:], opcode=0x0))
    assert ws.message()["id"] == 5
    ws.send(client_frame(ping(6)))
    assert ws.message()["id"] == 6


def test_a_control_ping_between_messages_is_answered_with_a_pong(ws):
    ws.send(client_frame(ping(7)) + client_frame(b"are you there", opcode=0x9) + client_frame(ping(8)))
    seen = [ws.frame() for _ in range(3)]
    assert (0xA, b"are you there") in seen
    assert [json.loads(p)["id"] for op, p in seen if op == 0x1] == [7, 8]


def test_a_large_message_is_refused_by_the_consumer_not_dropped(ws):
    ws.send(client_frame(json.dumps({"type": "ping", "pad": "x" * 20_000}).encode()))
    assert ws.message()["code"] == "bad_frame"
    ws.send(client_frame(ping(9)))
    assert ws.message()["id"] == 9


def test_bad_utf8_fails_the_connection_with_1007(ws):
    ws.send(client_frame(ping(10)))
    assert ws.message()["id"] == 10
    ws.send(client_frame(b'{"type": "ping", "id": "\xff"}'))
    # RFC 6455 8.1: fail the connection; with a close frame and its code, not a silent drop.
    opcode, payload = ws.frame()
    assert opcode == 0x8 and struct.unpack("!H", payload[:2])[0] == 1007


def test_the_limit_counts_bytes_not_characters(ws):
    text = json.dumps({"type": "ping", "id": "ệ" * 6000}, ensure_ascii=False).encode()
    assert len(text.decode()) < 16 * 1024 < len(text)  # under the limit in characters, over it in bytes
    ws.send(client_frame(text))
    assert ws.message()["code"] == "bad_frame"
    ws.send(client_frame(ping(11)))
    assert ws.message()["id"] == 11


@pytest.mark.parametrize("size", [70_000, 2 * 1024 * 1024], ids=["64k", "2MiB"])
def test_a_huge_frame_is_answered_bad_frame_and_the_socket_stays(ws, size):
    big = client_frame(json.dumps({"type": "ping", "pad": "x" * size}).encode())
    ws.send(big[:1000])  # the header first, then the rest in pieces, as a slow phone sends it
    for i in range(1000, len(big), 256 * 1024):
        ws.send(big[i : i + 256 * 1024])
    ws.send(client_frame(ping(12)))
    assert ws.message()["code"] == "bad_frame"
    assert ws.message()["id"] == 12


def test_the_reader_skips_an_oversize_frame_across_reads():
    conn = Connection()
    told = []
    install_fast_reader(conn, max_bytes=100, on_oversize=lambda: told.append(1))
    big = client_frame(b"x" * 5000, opcode=0x2)
    after = client_frame(b"after")
    conn.dataReceived(client_frame(b"before") + big[:300])
    conn.dataReceived(big[300:4000])
    conn.dataReceived(big[4000:] + after)
    assert conn.messages == [b"before", b"after"] and told == [1] and conn.to_autobahn == []


def test_a_fragmented_message_over_1_mib_is_closed_with_1009_not_dropped(ws):
    part = b"x" * (600 * 1024)
    ws.send(client_frame(b'{"type": "ping", "pad": "' + part, fin=False) + client_frame(part, opcode=0x0, fin=False))
    opcode, payload = ws.frame()
    assert opcode == 0x8 and struct.unpack("!H", payload[:2])[0] == 1009


def test_frames_stay_in_order_when_the_socket_is_backed_up(live_server_asgi):
    """The client stops reading while the server answers thousands of pings: the socket's
    buffers fill, the writer's direct ``send()`` comes up short and later frames queue behind
    the rest in Twisted's transport. Every pong must still arrive, whole and in order."""
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: a small window
    client.settimeout(10)
    client.connect(("127.0.0.1", live_server_asgi.port))
    ws = RawSocket.__new__(RawSocket)
    ws.sock = client
    key = base64.b64encode(os.urandom(16)).decode()
    client.sendall(
        (
            f"GET /ws/time/ HTTP/1.1\r\nHost: 127.0.0.1:{live_server_asgi.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: {live_server_asgi.url}\r\n\r\n"
        ).encode()
    )
    ws.buffer = b""
    while b"\r\n\r\n" not in ws.buffer:
        ws.buffer += ws._recv()
    ws.buffer = ws.buffer.split(b"\r\n\r\n", 1)[1]
    pad = "x" * 1000  # pongs over 125 bytes: 16-bit lengths
    count = 3000  # about 1.3 MB of pongs, far more than the socket buffers hold
    frames = [client_frame(ping(f"{i}:{pad}")) for i in range(count)]

    # Pings keep coming while the client reads, so the socket keeps going from full to
    # writable with frames still queued in Twisted: a frame sent straight to the socket then
    # would overtake them.
    def send():
        client.sendall(b"".join(frames[: count // 2]))  # more than the buffers hold
        for i in range(count // 2, count, 50):  # then more, while the client reads
            client.sendall(b"".join(frames[i : i + 50]))
            time.sleep(0.005)

    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(1)  # let the server's socket buffer fill before reading
    try:
        ids = [ws.message()["id"] for _ in range(count)]
    finally:
        sender.join(30)
        client.close()
    assert ids == [f"{i}:{pad}" for i in range(count)]


def test_a_fallback_is_logged_once_as_a_warning(monkeypatch, caplog):
    from core.realtime import wire

    class NoDaphne:
        proto = tcp = None

    monkeypatch.setattr(wire, "_reported", False)
    assert wire.report_fast_path({"type": "websocket"}, NoDaphne(), False) is None  # no server: no wire
    with caplog.at_level("INFO", logger="core.realtime.wire"):
        first = wire.report_fast_path({"server": ("127.0.0.1", 8000)}, NoDaphne(), False)
        again = wire.report_fast_path({"server": ("127.0.0.1", 8000)}, NoDaphne(), False)
    assert "fast path OFF" in first and "writer" in first and again is None
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [("WARNING", first)]


@pytest.mark.django_db(transaction=True)
def test_a_live_daphne_engages_the_fast_writer_and_reader(django_db_blocker, tmp_path):
    """The pinned Daphne, autobahn and Twisted still have what ``core.realtime.wire`` reads:
    the server says so at its first websocket (and would warn if not)."""
    from tests.support.server import start_server

    with django_db_blocker.unblock():
        server = start_server(tmp_path, extra_env={"LOG_LEVEL": "INFO"})
    try:
        ws = RawSocket(server)
        ws.send(client_frame(ping(1)))
        assert ws.message()["id"] == 1
        ws.close()
        log = server.log()
    finally:
        server.stop()
    assert "websocket fast path engaged: writer and reader installed" in log
    assert "fast path OFF" not in log
