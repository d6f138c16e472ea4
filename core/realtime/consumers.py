"""Base websocket consumer: JSON in and out, one place that turns errors into events."""

import json
import logging
import time

from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import DomainError, Unavailable, is_infrastructure_error
from core.metrics import OPEN_SOCKETS
from core.middleware import language_from_cookies
from core.nul import json_has_nul
from core.realtime.db import HANDSHAKE_FAILURE, HANDSHAKE_STARTED, NoHopDispatchMixin, handshake_db_wait, handshake_done
from core.realtime.protocol import (
    CLOSE_RATE_LIMITED,
    CLOSE_SERVER_ERROR,
    CLOSE_TRY_AGAIN_LATER,
    SITE_GROUP,
    Msg,
    now_ms,
)
from core.realtime.wire import Prepared, Sink, install_fast_reader, report_fast_path

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 16 * 1024


class JsonConsumer(AsyncWebsocketConsumer):
    """Parse each frame as a JSON object with a ``type`` and route it to ``on_<type>``.

    Subclasses list the client types they accept in ``accepts``. Bad frames get an ``error``
    event and change nothing; a ``DomainError`` raised by a handler becomes an ``error``
    event carrying its code, translated message and the request's ``ref`` when given.
    Every other failure of a handler is answered too, and the socket stays open: the
    database or Redis failing is ``unavailable`` (``retryable``: send it again), a bug is
    ``server_error`` (logged once). A failure while connecting (before the client could
    ask anything) is the same ``error`` event, then close 4503 (try again later; the client
    reconnects with back-off) or 4500 for a bug.

    Under Daphne, once the socket is accepted, replies go straight to the socket through a
    ``Sink`` and simple incoming frames skip autobahn's parser (``core.realtime.wire``);
    ``close`` waits for what was written before it.
    The page's language is activated once, when the socket opens: the consumer's task keeps
    it for every message (a translation override per message cost a tenth of the answer
    path's event-loop time).
    """

    accepts: frozenset[str] = frozenset()
    sink: Sink | None = None
    # A token bucket per socket: SOCKET_MESSAGE_BURST frames at once, then SOCKET_MESSAGE_RATE
    # a second. A frame over it is answered ``rate_limited`` (retryable, with its ``ref``) and
    # not handled; ``refusals_before_close`` refusals in a row (no token earned between them:
    # thousands of frames a second) close the socket with 4429. No page sends more than a few
    # a second.
    refusals_before_close = 100
    _tokens: float | None = None
    _tokens_at = 0.0
    _refusals = 0

    @property
    def language(self) -> str:
        """The page's language (the switcher's cookie, else Vietnamese) for translated errors."""
        return language_from_cookies(self.scope.get("cookies", {}))

    async def websocket_connect(self, message):
        translation.activate(self.language)  # this socket's task only (asgiref's Local)
        failure = self.scope.get(HANDSHAKE_FAILURE)  # the user lookup found no database in time
        if failure is not None:
            await self._refuse(failure)
            return
        try:
            # Until ``accept``, database reads wait only as long as Daphne's handshake allows.
            with handshake_db_wait(self.scope.get(HANDSHAKE_STARTED)):
                await super().websocket_connect(message)
        except StopConsumer:
            raise
        except Exception as exc:  # noqa: BLE001 - answered and closed with a documented code
            await self._refuse(exc)

    async def _refuse(self, exc: Exception) -> None:
        """Answer a failure while setting up the socket: ``error``, then close 4503 or 4500."""
        code, text = self._failure(exc, "connect")
        if self.sink is None:
            await self.accept()  # the client learns why instead of seeing a refused handshake
        await self.send_error(code, text, retryable=code == Unavailable.code)
        await self.close(code=CLOSE_TRY_AGAIN_LATER if code == Unavailable.code else CLOSE_SERVER_ERROR)

    def _failure(self, exc: Exception, where: str) -> tuple[str, str]:
        """The error code and message answering an unexpected failure; logs it once."""
        path = self.scope.get("path", "?")
        if is_infrastructure_error(exc):
            logger.warning("%s %s: a service is unavailable: %s: %s", path, where, type(exc).__name__, exc)
            return Unavailable.code, str(Unavailable.default_message)
        logger.error("%s %s: unexpected error", path, where, exc_info=exc)
        return "server_error", _("Lỗi máy chủ, vui lòng thử lại sau.")

    async def accept(self, subprotocol=None, headers=None):
        await super().accept(subprotocol, headers)
        handshake_done()
        self.counted_as = type(self).__name__
        OPEN_SOCKETS.labels(self.counted_as).inc()
        self.sink = Sink(self)
        # Framed now, in the socket's language: the reader answers from Twisted's callback.
        event = self.error_event("bad_frame", _("Tin nhắn không hợp lệ."))
        oversize = Prepared(json.dumps(event, ensure_ascii=False, separators=(",", ":")))
        installed = install_fast_reader(
            self.sink.proto, max_bytes=MAX_MESSAGE_BYTES, on_oversize=lambda: self.sink.write(oversize)
        )
        report_fast_path(self.scope, self.sink, installed)

    async def websocket_disconnect(self, message):
        if getattr(self, "counted_as", None):
            OPEN_SOCKETS.labels(self.counted_as).dec()
            self.counted_as = None
        await super().websocket_disconnect(message)

    async def close(self, code=None, reason=None):
        if self.sink is not None:
            await self.sink.flush()  # what was written before the close arrives before it
        await super().close(code=code, reason=reason)

    async def send_json(self, content: dict) -> None:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        if self.sink is not None:
            self.sink.write_text(text)
        else:
            await self.send(text_data=text)

    @staticmethod
    def error_event(code: str, message: str, *, fields: dict | None = None, ref=None, retryable: bool = False) -> dict:
        return {
            "type": Msg.ERROR,
            "code": code,
            "message": str(message),
            "fields": fields or {},
            "ref": ref,
            "retryable": retryable,
        }

    async def send_error(
        self, code: str, message: str, *, fields: dict | None = None, ref=None, retryable: bool = False
    ) -> None:
        await self.send_json(self.error_event(code, message, fields=fields, ref=ref, retryable=retryable))

    async def _over_rate(self, text_data) -> bool:
        """Take a token for this frame; False when there was one. Otherwise answer it
        ``rate_limited`` (closing 4429 after sustained abuse) and return True."""
        now = time.monotonic()
        if self._tokens is None:
            self._tokens = float(settings.SOCKET_MESSAGE_BURST)
        else:
            earned = (now - self._tokens_at) * settings.SOCKET_MESSAGE_RATE
            self._tokens = min(float(settings.SOCKET_MESSAGE_BURST), self._tokens + earned)
        self._tokens_at = now
        if self._tokens >= 1:
            self._tokens -= 1
            self._refusals = 0
            return False
        self._refusals += 1
        if self._refusals > self.refusals_before_close:
            return True  # closing: the frames still queued are dropped
        ref = None
        if text_data and len(text_data) <= MAX_MESSAGE_BYTES:
            try:
                content = json.loads(text_data)
                ref = content.get("ref") if isinstance(content, dict) else None
            except (ValueError, RecursionError):
                pass
        await self.send_error(
            "rate_limited",
            _("Gửi quá nhiều tin nhắn. Hãy chờ một chút."),
            ref=ref if isinstance(ref, (str, int)) else None,
            retryable=True,
        )
        if self._refusals == self.refusals_before_close:
            logger.warning("%s: socket closed for flooding", self.scope.get("path", "?"))
            await self.close(code=CLOSE_RATE_LIMITED)
        return True

    async def receive(self, text_data=None, bytes_data=None):
        if await self._over_rate(text_data):
            return
        # The limit counts UTF-8 bytes (a Vietnamese letter may take 3); encoded only when
        # the characters alone cannot tell.
        if (
            text_data is None
            or len(text_data) > MAX_MESSAGE_BYTES
            or (len(text_data) * 4 > MAX_MESSAGE_BYTES and len(text_data.encode()) > MAX_MESSAGE_BYTES)
        ):
            await self.send_error("bad_frame", _("Tin nhắn không hợp lệ."))
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):  # RecursionError: a frame of "[[[[..." nested too deep
            await self.send_error("bad_json", _("Tin nhắn không phải JSON hợp lệ."))
            return
        if json_has_nul(text_data):  # PostgreSQL refuses NUL in text: refuse it at the door
            await self.send_error("bad_message", _("Dữ liệu chứa ký tự NUL (mã 0), không được phép."))
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error("bad_message", _("Tin nhắn thiếu trường type."))
            return
        msg_type = content["type"]
        ref = content.get("ref") if isinstance(content.get("ref"), (str, int)) else None
        if msg_type not in self.accepts:
            await self.send_error("unknown_type", _("Loại tin nhắn không được hỗ trợ."), ref=ref)
            return
        handler = getattr(self, "on_" + msg_type.replace(".", "_"))
        try:
            await handler(content)
        except DomainError as exc:
            body = exc.as_dict()
            await self.send_error(
                body["code"], body["message"], fields=body["fields"], ref=ref, retryable=exc.status == 503
            )
        except StopConsumer:
            raise
        except Exception as exc:  # noqa: BLE001 - every request gets an answer; the socket stays
            code, text = self._failure(exc, msg_type)
            await self.send_error(code, text, ref=ref, retryable=code == Unavailable.code)


class TimeConsumer(NoHopDispatchMixin, JsonConsumer):
    """``/ws/time/``: answers ``ping`` with the server's epoch milliseconds.

    It also carries site-wide notices (``manage.py broadcast_notice``), e.g. "the contest
    server restarts at 22:00".

    Clients estimate their clock offset from round trips to it (see static/js/realtime.js);
    every countdown in the UI runs from a server deadline corrected by that offset.
    """

    accepts = frozenset({Msg.PING})

    async def connect(self):
        await self.channel_layer.group_add(SITE_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(SITE_GROUP, self.channel_name)

    async def site_notice(self, event):
        await self.send_json(
            {"type": Msg.NOTICE, "level": event["level"], "text": event["text"], "server_now": now_ms()}
        )

    async def on_ping(self, content):
        ping_id = content.get("id")
        if not isinstance(ping_id, (int, str)) or isinstance(ping_id, bool):
            ping_id = None
        await self.send_json({"type": Msg.PONG, "id": ping_id, "server_now": now_ms()})
