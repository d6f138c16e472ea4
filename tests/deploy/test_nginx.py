"""The shipped nginx config: valid, and in front of a live Daphne it passes the app, websockets
and small bodies, refuses large ones with the JSON error, and serves pre-compressed static
files with a year's cache for hashed names."""

import gzip
import http.client
import json
import os
import socket

import pytest

from tests.support.nginx import check_config, nginx_path, start_nginx, write_config

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _needs_nginx():
    if nginx_path() is None:  # CI must run these (apt-get install nginx)
        (pytest.fail if os.environ.get("CI") else pytest.skip)("nginx is not installed")


MB = 1024 * 1024


@pytest.fixture
def static_root(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (root / "app.0123456789ab.js").write_text("console.log('x');\n" * 100)
    (root / "app.0123456789ab.js.gz").write_bytes(gzip.compress(b"console.log('x');\n" * 100))
    (root / "plain.js").write_text("1;\n")
    return root


@pytest.fixture
def nginx(tmp_path, static_root, live_server_asgi):
    server = start_nginx(tmp_path / "nginx", upstream_ports=[live_server_asgi.port], static_root=static_root)
    yield server
    server.stop()


def request(nginx, method, path, body=b"", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=20)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def test_config_is_valid(tmp_path, static_root):
    conf = write_config(tmp_path / "check", upstream_ports=[8001, 8002], static_root=static_root, port=18080)
    result = check_config(conf)
    assert result.returncode == 0, result.stderr


def test_proxy_limits_websockets_and_static(nginx, live_server_asgi):
    status, _headers, _body = request(nginx, "GET", "/healthz")
    assert status == 200

    big = b"x" * (2 * MB)
    status, headers, body = request(nginx, "POST", "/api/auth/token/", big, {"Content-Type": "application/json"})
    assert status == 413
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == "body_too_large"
    # A path that takes files may send more: it reaches the server (which refuses this bogus
    # multipart body, or the anonymous caller), not nginx's 413.
    status, _headers, body = request(
        nginx, "POST", "/api/quizbank/imports/", big, {"Content-Type": "multipart/form-data; boundary=b"}
    )
    assert status in (400, 401, 403), (nginx.prefix / "error.log").read_text()[-500:]

    status, headers, body = request(nginx, "GET", "/static/app.0123456789ab.js", headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers["Cache-Control"] and "max-age=31536000" in headers["Cache-Control"]
    status, headers, _body = request(nginx, "GET", "/static/plain.js")
    assert status == 200 and "immutable" not in headers["Cache-Control"]

    # The websocket upgrade passes through to Daphne.
    with socket.create_connection(("127.0.0.1", nginx.port), timeout=10) as sock:
        sock.sendall(
            b"GET /ws/time/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            b"Origin: http://127.0.0.1\r\n\r\n"
        )
        assert sock.recv(200).startswith(b"HTTP/1.1 101")
