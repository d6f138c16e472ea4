"""Websocket consumers of contest rounds: the student's round socket and the organiser monitor.

Thin, as the rest of the app: parse, call a service, reply. The answer path never touches the
ORM in the consumer: saves go to the per-process batcher (``contest.writepath``), and the
acknowledgement is sent when the batch has committed.
"""

import asyncio
import contextlib
import datetime

from channels.db import database_sync_to_async
from django.utils.translation import gettext as _

from contest import selectors, services
from contest.models import AttemptStatus, Round
from contest.presentation import ms, round_payload
from contest.scope import may_play
from contest.services.answers import SaveRequest
from contest.writepath import batcher
from core.errors import DomainError, NotFound, is_infrastructure_error
from core.metrics import ANSWERS_ACKNOWLEDGED
from core.realtime.consumers import JsonConsumer
from core.realtime.db import socket_db
from core.realtime.loop import LeanDispatchMixin
from core.realtime.protocol import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_UNAUTHENTICATED,
    Msg,
    attempt_group,
    now_ms,
    round_group,
)
from core.roles import check_scope


async def accept_signed_in(consumer) -> bool:
    """Accept the socket, then close it with 4401 unless signed in (the client learns why
    instead of seeing a refused handshake). Sets ``user`` and ``round_id`` on the consumer."""
    user = consumer.scope.get("user")
    await consumer.accept()
    if user is None or not user.is_authenticated:
        await consumer.close(code=CLOSE_UNAUTHENTICATED)
        return False
    consumer.user = user
    consumer.user_id = user.pk  # read per answer; ``user`` is a lazy proxy
    consumer.round_id = int(consumer.scope["url_route"]["kwargs"]["round_id"])
    return True


class RoundConsumer(LeanDispatchMixin, JsonConsumer):
    """``/ws/contest/rounds/<round_id>/``: a student takes a window round.

    On connect (and after ``attempt.start``) it sends ``round.snapshot``: the round, and the
    running attempt with its stored order, saved answers and server deadline, so a reload,
    a reconnect or a second device resumes exactly where the student was.
    """

    accepts = frozenset({Msg.ATTEMPT_START, Msg.ANSWER_SAVE, Msg.ATTEMPT_PREDICT, Msg.ATTEMPT_SUBMIT})

    async def connect(self):
        self.attempt_id = None
        # The attempt this socket last saw end, as (id, status): later saves answer
        # ``attempt_closed`` and a second submit answers as the first did (as over REST).
        self.ended = None
        if not await accept_signed_in(self):
            return
        try:
            snapshot = await socket_db(self._snapshot)()
        except NotFound:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        except PermissionError:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.channel_layer.group_add(round_group(self.round_id), self.channel_name)
        self.in_round_group = True
        await self._follow(snapshot["attempt"])
        await self.send_json(snapshot)

    async def disconnect(self, code):
        if getattr(self, "attempt_id", None) is not None:
            await self.channel_layer.group_discard(attempt_group(self.attempt_id), self.channel_name)
        if getattr(self, "in_round_group", False):
            await self.channel_layer.group_discard(round_group(self.round_id), self.channel_name)

    # --- database work, each one call on a worker thread ----------------------------------
    def _round(self) -> Round:
        round_ = Round.objects.select_related("contest__region").filter(pk=self.round_id).first()
        if round_ is None:
            raise NotFound()
        check_scope(self.user, round_, "view")
        if not may_play(self.user, round_):
            raise PermissionError
        return round_

    def _snapshot(self, ref=None) -> dict:
        round_ = self._round()
        services.round_finalize_if_due(round_)
        running = services.attempt_running(user=self.user, round_=round_)
        attempts = selectors.user_attempts(self.user, round_)
        taken = len(attempts)
        if running is not None:
            running.round = round_
        elif attempts:
            self.ended = (attempts[-1].pk, attempts[-1].status)
        return {
            "type": Msg.ROUND_SNAPSHOT,
            "ref": ref,
            "round": round_payload(round_, taken=taken),
            "attempt": selectors.attempt_state(running) if running is not None else None,
            "server_now": now_ms(),
        }

    def _start(self, ref) -> dict:
        services.attempt_start(user=self.user, round_=self._round())
        return self._snapshot(ref)

    async def _follow(self, attempt: dict | None) -> None:
        """Join the attempt's group, so a submit elsewhere or the clock's close reaches us."""
        new_id = attempt["id"] if attempt and attempt["status"] == AttemptStatus.IN_PROGRESS else None
        if new_id == self.attempt_id:
            return
        if self.attempt_id is not None:
            await self.channel_layer.group_discard(attempt_group(self.attempt_id), self.channel_name)
        self.attempt_id = new_id
        if new_id is not None:
            await self.channel_layer.group_add(attempt_group(new_id), self.channel_name)

    # --- client messages --------------------------------------------------------------------
    async def on_attempt_start(self, content):
        snapshot = await socket_db(self._start)(content.get("ref"))
        await self._follow(snapshot["attempt"])
        await self.send_json(snapshot)

    async def on_answer_save(self, content):
        # The server's clock, on receipt; nothing the client sends. (Not ``timezone.now()``: its
        # settings lookup was a tenth of this socket's event-loop time per answer.)
        received_at = datetime.datetime.now(datetime.UTC)
        ref = content.get("ref")
        question = content.get("question")
        if self.attempt_id is None:
            self._no_attempt(_("Lượt thi đã kết thúc, không thể lưu thêm câu trả lời."))
        if isinstance(question, bool) or not isinstance(question, int) or not isinstance(content.get("response"), dict):
            raise DomainError(_("Câu trả lời không hợp lệ."), code="bad_response")
        # Past the deadline the service decides, as for REST: ``late`` while the attempt is
        # still open (deadline + grace passed, the clock has not closed it yet),
        # ``attempt_closed`` once it is closed (here, on another device or by the clock).
        request = SaveRequest(self.user_id, self.attempt_id, question, content["response"], received_at, "ws")
        # Awaited in place: this socket's next message waits for the commit (a student saves a
        # few times a minute), and no task is created per save. Other sockets go on meanwhile,
        # and their saves join the same batch.
        try:
            result = await batcher.submit(request)
        except Exception:  # noqa: BLE001 - the batch failed: nothing was committed
            result = DomainError(_("Không lưu được câu trả lời, vui lòng thử lại."), code="save_failed", status=503)
        if isinstance(result, DomainError):
            raise result
        ANSWERS_ACKNOWLEDGED.labels("window").inc()
        await self.send_json(
            {
                "type": Msg.ANSWER_SAVED,
                "ref": ref,
                "question": question,
                "saved_at": ms(result.saved_at),
                "changed": result.changed,
                "result": result.feedback,
                "server_now": now_ms(),
            }
        )

    def _no_attempt(self, closed_message) -> None:
        """Refuse a request that needs a running attempt: ``attempt_closed`` when this
        socket's attempt has ended, else ``no_attempt``."""
        if self.ended is not None:
            raise DomainError(closed_message, code="attempt_closed", status=409)
        raise DomainError(_("Bạn chưa bắt đầu lượt thi."), code="no_attempt")

    async def on_attempt_predict(self, content):
        if self.attempt_id is None:
            self._no_attempt(_("Lượt thi đã kết thúc."))
        value = content.get("value")
        attempt = await database_sync_to_async(services.attempt_predict)(
            user=self.user, attempt_id=self.attempt_id, value=value
        )
        await self.send_json({"type": Msg.ATTEMPT_PREDICTED, "ref": content.get("ref"), "value": attempt.prediction})

    async def on_attempt_submit(self, content):
        if self.attempt_id is None:
            if self.ended is None:
                raise DomainError(_("Bạn chưa bắt đầu lượt thi."), code="no_attempt")
            # Idempotent: the attempt already ended; answer as the first submit did.
            await self._send_closed(*self.ended, content.get("ref"))
            return
        attempt = await database_sync_to_async(services.attempt_submit)(user=self.user, attempt_id=self.attempt_id)
        await self._closed(attempt.pk, attempt.status, content.get("ref"))

    async def _closed(self, attempt_id: int, status: str, ref=None) -> None:
        if attempt_id != self.attempt_id:
            return  # already told
        self.attempt_id = None
        self.ended = (attempt_id, status)
        # The reply first: the attempt is committed, and leaving the group needs Redis.
        await self._send_closed(attempt_id, status, ref)
        await self.channel_layer.group_discard(attempt_group(attempt_id), self.channel_name)

    async def _send_closed(self, attempt_id: int, status: str, ref) -> None:
        from django.urls import reverse

        await self.send_json(
            {
                "type": Msg.ATTEMPT_CLOSED,
                "ref": ref,
                "attempt": attempt_id,
                "status": status,
                "result_url": reverse("contest:attempt_result", args=[attempt_id]),
                "server_now": now_ms(),
            }
        )

    # --- channel-layer events ---------------------------------------------------------------
    async def contest_attempt_closed(self, event):
        await self._closed(event["attempt"], event["status"])

    async def contest_round_closed(self, event):
        """The round closed (at its time, or by the organiser): the running attempt, if any,
        has ended with its saved answers; the page moves to its result."""
        from django.urls import reverse

        attempt_id = running = self.attempt_id
        if running is not None:
            self.attempt_id = None
            self.ended = (running, AttemptStatus.EXPIRED)
        elif self.ended is not None:
            attempt_id = self.ended[0]
        await self.send_json(
            {
                "type": Msg.ROUND_CLOSED,
                "round": event["round"],
                "attempt": attempt_id,
                "result_url": reverse("contest:attempt_result", args=[attempt_id]) if attempt_id else None,
                "server_now": now_ms(),
            }
        )
        if running is not None:
            await self.channel_layer.group_discard(attempt_group(running), self.channel_name)


class MonitorConsumer(JsonConsumer):
    """``/ws/contest/rounds/<round_id>/monitor/``: the organiser's live round monitor.

    Pushes ``monitor.update`` on connect and then whenever the figures change, at most every
    ``INTERVAL_S``. The figures are aggregates read from the database, so every process
    serving a monitor shows the same numbers and nothing is sent per answer.
    """

    INTERVAL_S = 2.0
    accepts = frozenset()

    async def connect(self):
        self.task = None
        if not await accept_signed_in(self):
            return
        try:
            stats = await database_sync_to_async(self._stats)()
        except NotFound:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self._push(stats)
        self.task = asyncio.create_task(self._loop())

    async def disconnect(self, code):
        if getattr(self, "task", None) is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    def _stats(self) -> dict:
        round_ = Round.objects.select_related("contest__region").filter(pk=self.round_id).first()
        if round_ is None:
            raise NotFound()
        check_scope(self.user, round_, "manage")
        services.round_finalize_if_due(round_)
        return selectors.monitor_stats(round_)

    async def _push(self, stats: dict) -> None:
        self.last = stats
        await self.send_json({"type": Msg.MONITOR_UPDATE, **stats, "server_now": now_ms()})

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.INTERVAL_S)
            try:
                stats = await database_sync_to_async(self._stats)()
            except NotFound:
                await self.close(code=CLOSE_NOT_FOUND)
                return
            except Exception as exc:
                if not is_infrastructure_error(exc):
                    raise
                continue  # the database is down: the figures stay as they were until it is back
            if stats != self.last:
                await self._push(stats)
