"""Request bodies are refused where they arrive, before they are read (issue 18 item 2), against
a live Daphne: memory stays flat, chunked bodies are counted, slow bodies time out, and bad JSON
of any shape is a 400."""

import json
import select
import socket
import threading
import time
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from tests.support.server import start_server

pytestmark = pytest.mark.django_db(transaction=True)
MB = 1024 * 1024


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        srv = start_server(tmp_path_factory.mktemp("limits"), extra_env={"REQUEST_BODY_TIMEOUT_S": "3"})
    yield srv
    srv.stop()


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def read_response(sock: socket.socket, timeout: float) -> tuple[int, dict]:
    """The status and JSON body of the first response on ``sock`` (or (0, {}) if none came)."""
    sock.settimeout(timeout)
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except (TimeoutError, ConnectionResetError):
            break
        if not chunk:
            break
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            length = next(
                (int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")), None
            )
            if length is not None and len(body) >= length:
                return int(head.split()[1]), json.loads(body[:length])
    if not data:
        return 0, {}
    head, _sep, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), (json.loads(body) if body.startswith(b"{") else {})


def post_raw(server, path: str, headers: dict, body_bytes: int, *, chunked=False, pace_s=0.0):
    """Send a POST with ``body_bytes`` of body from a thread while reading the answer; returns
    (status, json, peak RSS growth of the server in KB)."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    if chunked:
        head += "Transfer-Encoding: chunked\r\n"
    sock.sendall(head.encode() + b"\r\n")
    pid = server.process.pid
    before = rss_kb(pid)
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kb(pid))
            time.sleep(0.02)

    def send():
        block = b"x" * 65536
        sent = 0
        try:
            while sent < body_bytes and not done.is_set():
                n = min(len(block), body_bytes - sent)
                piece = block[:n] if not pace_s else b"x"
                n = len(piece)
                sock.sendall(b"%x\r\n%s\r\n" % (n, piece) if chunked else piece)
                sent += n
                if pace_s:
                    time.sleep(pace_s)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server closed: what we expect past the limit

    threads = [threading.Thread(target=sample, daemon=True), threading.Thread(target=send, daemon=True)]
    for t in threads:
        t.start()
    try:
        status, payload = read_response(sock, timeout=20)
        time.sleep(0.3)
    finally:
        done.set()
        for t in threads:
            t.join(10)
        sock.close()
    return status, payload, peak[0] - before


def test_large_announced_multipart_body_is_refused_and_memory_stays_flat(server):
    body = 60 * MB
    status, payload, growth_kb = post_raw(
        server,
        "/api/schools/register/",
        {"Content-Type": "multipart/form-data; boundary=xyz", "Content-Length": str(body)},
        body,
    )
    assert status == 413, payload
    assert payload["error"]["code"] == "body_too_large"
    assert "MB" in payload["error"]["message"]
    # Twisted used to hold and parse the whole body in memory: +2 × 60 MB. Now: nothing stored.
    assert growth_kb < 15 * 1024, f"server RSS grew by {growth_kb} KB"


def test_chunked_body_is_counted_as_it_arrives(server):
    status, payload, growth_kb = post_raw(
        server, "/api/auth/token/", {"Content-Type": "application/json"}, 8 * MB, chunked=True
    )
    assert status == 413, payload
    assert payload["error"]["code"] == "body_too_large"
    assert growth_kb < 15 * 1024


def test_endpoints_that_take_files_may_send_more(server):
    size = 3 * MB  # over the default limit (1 MB), under the upload limit
    status, _payload, _growth = post_raw(
        server, "/api/auth/token/", {"Content-Type": "application/json", "Content-Length": str(size)}, size
    )
    assert status == 413
    status, _payload, _growth = post_raw(
        server,
        "/api/quizbank/imports/",
        {"Content-Type": "multipart/form-data; boundary=xyz", "Content-Length": str(size)},
        size,
    )
    assert status not in (0, 413)  # read whole and answered by the application (not signed in)


def test_slow_body_times_out(server):
    started = time.monotonic()
    status, payload, _growth = post_raw(
        server,
        "/api/auth/token/",
        {"Content-Type": "application/json", "Content-Length": "1000", "Accept-Language": "en"},
        1000,
        pace_s=0.5,
    )
    assert status == 408, payload
    assert payload["error"]["code"] == "body_timeout"
    assert "slow" in payload["error"]["message"]
    assert time.monotonic() - started < 10


def test_slow_request_line_is_cut_off(server):
    """A request line sent a byte at a time (each byte resets Twisted's idle timer) is cut off
    after REQUEST_BODY_TIMEOUT_S (3 s here), not held open while it trickles for 30 s."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    started = time.monotonic()
    closed_after = None
    try:
        for byte in b"POST /api/auth/token/ HTTP/1.1\r\nHost: 127.0.0.1"[:60]:
            sock.sendall(bytes([byte]))
            if select.select([sock], [], [], 0.5)[0] and sock.recv(100) == b"":
                closed_after = time.monotonic() - started
                break
    except OSError:
        closed_after = time.monotonic() - started
    finally:
        sock.close()
    assert closed_after is not None and closed_after < 10, closed_after


def test_small_bodies_still_reach_the_application(server):
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    body = b'{"username": "khong-co", "password": "sai"}'
    sock.sendall(
        b"POST /api/auth/token/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    status, payload = read_response(sock, timeout=10)
    sock.close()
    assert status == 401, payload


@pytest.mark.parametrize(
    "body",
    [
        "[" * 1000 + "]" * 1000,
        '{"a":' * 1000 + "1" + "}" * 1000,
        "[" * 100_000,
        '{"username": "x", "password": ' + "[" * 70 + "]" * 70 + "}",
        "\ud800",
        "1" * 5000,
    ],
    ids=["array-1000", "object-1000", "open-100000", "nested-field", "lone-surrogate", "huge-int"],
)
def test_bad_json_of_any_shape_is_a_400(body):
    resp = APIClient().post("/api/auth/token/", body.encode("utf-8", "surrogatepass"), content_type="application/json")
    assert resp.status_code == 400, resp.content[:300]
    assert resp.json()["error"]["code"] in {"parse_error", "invalid"}
