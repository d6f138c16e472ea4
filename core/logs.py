"""Logging: one line per record, in JSON when asked (``LOG_FORMAT=json``), each with the
request id; expected refusals without their traceback.

A request's id comes from the ``X-Request-ID`` header that the proxy in ``deploy/`` sets (a
fresh one otherwise), is echoed in the response, and stays with every log line the request
writes, database threads included (a context variable). A websocket gets its id at the
handshake, so every line written while handling its messages carries it too.

An expected refusal (403: a pupil opening an organiser's page, a page that checks a role) is
normal traffic, not a fault: Django logs it with the exception's traceback, which buries real
errors in the server log. :class:`OneLineRefusals` keeps the one line ("Forbidden
(Permission denied): /contest/manage/") and drops the traceback. 5xx records are untouched.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
ONE_LINE_STATUSES = frozenset({403})
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def new_request_id(offered: str | None = None) -> str:
    """The proxy's id when it looks like one, else a new one."""
    return offered if offered and _VALID.match(offered) else uuid.uuid4().hex[:16]


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


class RequestIdMiddleware:
    """Give each HTTP request its id (and the response its ``X-Request-ID`` header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_id.set(new_request_id(request.headers.get("X-Request-ID")))
        request.request_id = request_id.get()
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class RequestIdAsgiMiddleware:
    """The same for websockets: an id per connection, set for the consumer's whole life."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            headers = dict(scope.get("headers") or [])
            offered = headers.get(b"x-request-id", b"").decode("latin-1")
            scope = {**scope, "request_id": new_request_id(offered)}
            request_id.set(scope["request_id"])
        return await self.app(scope, receive, send)


class OneLineRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in ONE_LINE_STATUSES:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
