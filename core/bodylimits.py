"""Request body limits, enforced in Daphne where the bytes arrive, before the application runs.

Twisted reads a request's whole body (into memory, or a temporary file past 100 KB) and then
parses a multipart body in memory before Daphne hands the request to Django, so a limit in a
middleware or a view comes after the memory is spent (issue 18: +1 GB for a 100 MB POST).
``LimitedRequest`` is Daphne's request with the limit in front:

- the announced ``Content-Length`` is checked as soon as the headers are in, and a chunked
  body's bytes are counted as they come; past the path's limit the server answers 413 with
  the API's JSON error, stores nothing more, and closes the connection;
- the request line, headers and body must all arrive within ``REQUEST_BODY_TIMEOUT_S``,
  else 408 and the connection is closed, so slow uploads cannot hold workers' sockets (a
  connection that has not sent a whole first request line by then is closed without a word);
- paths that take files (``UPLOAD_PATHS``) may send ``UPLOAD_BODY_MAX_BYTES``, the rest
  ``REQUEST_BODY_MAX_BYTES``.

After refusing, the server stops reading the body into the request, half-closes its side so
the client reads the answer, drops what the client still sends for ``LINGER_S`` seconds (as
nginx's lingering close does) and then closes the socket.

``install()`` (called by ``config.asgi``) makes Daphne build its requests from this class:
``daphne.http_protocol.HTTPFactory.buildProtocol`` looks the class up by name at each
connection. Behind nginx the same limits are set there too (deploy/nginx/).
"""

import io
import json
import logging
import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

LINGER_S = 5.0
_REASONS = {408: b"Request Timeout", 413: b"Content Too Large"}


def body_limit(path: bytes | str) -> int:
    """The largest body, in bytes, that a request to ``path`` may send."""
    if isinstance(path, bytes):
        path = path.decode("latin-1")
    path = path.split("?", 1)[0]
    for pattern in _upload_patterns():
        if pattern.match(path):
            return settings.UPLOAD_BODY_MAX_BYTES
    return settings.REQUEST_BODY_MAX_BYTES


_compiled: tuple = ((), ())


def _upload_patterns() -> tuple:
    global _compiled
    source = tuple(settings.UPLOAD_PATHS)
    if _compiled[0] != source:
        _compiled = (source, tuple(re.compile(p) for p in source))
    return _compiled[1]


def _error_body(status: int, accept_language: bytes | None, limit: int) -> bytes:
    first = (accept_language or b"").split(b",", 1)[0].strip().lower()
    language = "en" if first.startswith(b"en") else settings.LANGUAGE_CODE
    with translation.override(language):
        if status == 413:
            code = "body_too_large"
            message = _("Dữ liệu gửi lên quá lớn (tối đa %(mb)s MB).") % {"mb": f"{limit / 1048576:.3g}"}
        else:
            code = "body_timeout"
            message = _("Dữ liệu gửi lên quá chậm; kết nối đã bị đóng. Vui lòng thử lại.")
    return json.dumps({"error": {"code": code, "message": message, "fields": {}}}, ensure_ascii=False).encode()


def _request_class():
    from daphne.http_protocol import WebRequest

    class LimitedRequest(WebRequest):
        """Daphne's HTTP request, refusing a body over its path's limit before reading it."""

        def __init__(self, *args, **kwargs):
            if args:
                args[0]._hoithiso_requests = True  # the channel: its first request line is in
            self._limit_refused = False
            self._limit_received = 0
            self._limit_max = settings.REQUEST_BODY_MAX_BYTES
            self._limit_timer = None
            super().__init__(*args, **kwargs)
            from twisted.internet import reactor

            self._limit_timer = reactor.callLater(settings.REQUEST_BODY_TIMEOUT_S, self._limit_timeout)

        def gotLength(self, length):  # noqa: N802 - Twisted's name
            self._limit_max = body_limit(getattr(self.channel, "_path", b"") or b"")
            if length is not None and length > self._limit_max:
                self.content = io.BytesIO()
                self._limit_refuse(413)
                return
            super().gotLength(length)

        def handleContentChunk(self, data):  # noqa: N802 - Twisted's name
            if self._limit_refused:
                return
            self._limit_received += len(data)
            if self._limit_received > self._limit_max:
                self._limit_refuse(413)
                return
            super().handleContentChunk(data)

        def requestReceived(self, command, path, version):  # noqa: N802 - Twisted's name
            self._limit_cancel()
            if self._limit_refused:
                return
            super().requestReceived(command, path, version)

        def connectionLost(self, reason):  # noqa: N802 - Twisted's name
            self._limit_cancel()
            super().connectionLost(reason)

        def _limit_cancel(self):
            timer, self._limit_timer = self._limit_timer, None
            if timer is not None and timer.active():
                timer.cancel()

        def _limit_timeout(self):
            self._limit_timer = None
            if not self._limit_refused and self.channel is not None:
                self._limit_refuse(408)

        def _limit_refuse(self, status: int) -> None:
            """Answer ``status`` with the JSON error, stop reading, and close the connection."""
            self._limit_refused = True
            self._limit_cancel()
            channel = self.channel
            transport = getattr(channel, "transport", None)
            if transport is None:
                return
            language = self.requestHeaders.getRawHeaders(b"accept-language", [None])[0]
            body = _error_body(status, language, self._limit_max)
            head = b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status])
            head += b"Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
            transport.write(head + body)
            log.warning("HTTP %s: request body refused (%s bytes allowed)", status, self._limit_max)
            channel._send100Continue = lambda: None  # refused before the client was told to go on
            channel.dataReceived = lambda data: None  # the rest of the body is dropped unread
            channel.setTimeout(None)
            try:
                transport.loseWriteConnection()
            except AttributeError:  # not TCP: close outright
                transport.loseConnection()
                return
            from twisted.internet import reactor

            reactor.callLater(LINGER_S, transport.abortConnection)

    return LimitedRequest


def _first_line_due(protocol) -> None:
    """Close a connection whose first request line has not arrived in time (a request line
    sent a byte at a time would otherwise keep it open: each byte resets Twisted's idle timer)."""
    channel = getattr(protocol, "_channel", protocol)  # Twisted wraps the HTTP/1.1 channel
    transport = getattr(channel, "transport", None)
    if transport is None or getattr(channel, "_hoithiso_requests", False):
        return
    if getattr(transport, "connected", False) and hasattr(transport, "abortConnection"):
        transport.abortConnection()


def install() -> None:
    """Make Daphne build its HTTP requests from ``LimitedRequest`` (once per process), and give
    each connection ``REQUEST_BODY_TIMEOUT_S`` to send its first request line."""
    try:
        from daphne import http_protocol
    except ImportError:  # pragma: no cover - Daphne is a requirement
        return
    if getattr(http_protocol.WebRequest, "_hoithiso_limited", False):
        return
    cls = _request_class()
    cls._hoithiso_limited = True
    http_protocol.WebRequest = cls
    build = http_protocol.HTTPFactory.buildProtocol

    def build_protocol(self, addr):
        protocol = build(self, addr)
        if protocol is not None:
            from twisted.internet import reactor

            reactor.callLater(settings.REQUEST_BODY_TIMEOUT_S, _first_line_due, protocol)
        return protocol

    http_protocol.HTTPFactory.buildProtocol = build_protocol
