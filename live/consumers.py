"""Websockets of live games: players, and the host console / projector.

Thin, as the rest: parse, hand to a service (through the batcher or one database call), reply.
Game messages do not come through these consumers at all: the hub (``live.hub``) writes them
to the sockets directly. So the consumers use no channel layer (no per-socket channel), and
use the project's dispatch (``core.realtime.loop.DirectDispatchMixin``), which skips Channels'
per-message ``close_old_connections`` thread hop: database work runs in the batcher's thread or in
``database_sync_to_async``, which manage their connections.
"""

import logging

from channels.db import database_sync_to_async
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, Forbidden, RateLimited
from core.metrics import ANSWERS_ACKNOWLEDGED
from core.realtime.consumers import JsonConsumer
from core.realtime.loop import DirectDispatchMixin
from core.realtime.protocol import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_RATE_LIMITED,
    CLOSE_UNAUTHENTICATED,
    Msg,
    now_ms,
)
from live import admission, frames
from live.batcher import batcher
from live.hub import hub
from live.services.answers import AnswerRequest, AnswerSaved
from live.services.players import Joined, JoinRequest, player_info, player_resume

logger = logging.getLogger(__name__)


class LiveConsumer(DirectDispatchMixin, JsonConsumer):
    channel_layer_alias = "live-no-layer"  # not configured: no channel per socket

    async def on_ping(self, content):
        ping_id = content.get("id")
        if not isinstance(ping_id, (int, str)) or isinstance(ping_id, bool):
            ping_id = None
        await self.send_json({"type": Msg.PONG, "id": ping_id, "server_now": now_ms()})

    def _game_id(self) -> int:
        return int(self.scope["url_route"]["kwargs"]["game_id"])


class PlayerConsumer(LiveConsumer):
    """``/ws/live/<game>/play/``: join (or come back), then answer."""

    accepts = frozenset({Msg.PING, Msg.LIVE_JOIN, Msg.LIVE_RESUME, Msg.LIVE_ANSWER})

    async def connect(self):
        self.player_id = None
        self.entering = None  # (player, token, you) of a committed join still being entered
        self.kicked = False
        self.game_id = self._game_id()
        await self.accept()

    async def disconnect(self, code):
        if self.sink is not None:
            hub.remove(self.game_id, self.sink, self.player_id)

    async def on_live_join(self, content):
        if self.player_id is not None:
            return await self.send_error("already_joined", _("Bạn đã vào trò chơi."), ref=content.get("ref"))
        if self.entering is not None:
            # The join was committed but the game's channel could not be followed (Redis down):
            # the retry follows it now, as the same player.
            player, token, you = self.entering
            return await self._enter(player, token, content.get("ref"), you=you)
        user = self.scope.get("user")
        student = content.get("student")
        request = JoinRequest(
            game_id=self.game_id,
            pin=admission.clean_pin(content.get("pin")),
            client=admission.client_address(self.scope),
            user_id=user.pk if user is not None and user.is_authenticated else None,
            nickname=content.get("nickname") if isinstance(content.get("nickname"), str) else None,
            student_id=student if isinstance(student, int) and not isinstance(student, bool) else None,
            class_code=content.get("class_code") if isinstance(content.get("class_code"), str) else None,
            team=content.get("team") if isinstance(content.get("team"), str) else None,
        )
        result = await self._submit(request, content.get("ref"))
        if result is None:
            return
        if isinstance(result, (RateLimited, Forbidden)):
            await self.send_error(result.code, result.message, ref=content.get("ref"))
            return await self.close(code=CLOSE_RATE_LIMITED if isinstance(result, RateLimited) else CLOSE_FORBIDDEN)
        if isinstance(result, DomainError):
            raise result
        assert isinstance(result, Joined)
        await self._enter(result.player, result.token, content.get("ref"), you=None)

    async def _submit(self, request, ref):
        """The batch's result for ``request``; None (and an error event) if the batch failed:
        nothing was committed, so nothing is acknowledged and the client may retry."""
        try:
            return await batcher.submit(request)
        except Exception:  # noqa: BLE001 - reported to the client, logged by the batcher
            await self.send_error("unavailable", _("Máy chủ đang bận, vui lòng thử lại."), ref=ref, retryable=True)
            return None

    async def on_live_resume(self, content):
        if self.player_id is not None:
            return await self.send_error("already_joined", _("Bạn đã vào trò chơi."), ref=content.get("ref"))
        try:
            player, you = await database_sync_to_async(player_resume)(game_id=self.game_id, token=content.get("token"))
        except Forbidden as exc:
            await self.send_json({"type": Msg.LIVE_KICKED, "message": str(exc.message)})
            return await self.close(code=CLOSE_FORBIDDEN)
        await self._enter(player, content.get("token"), content.get("ref"), you=you)

    async def _enter(self, player, token: str, ref, *, you: dict | None) -> None:
        self.entering = (player, token, you)
        room = await hub.add_player(self.game_id, player.pk, self.sink)  # may fail while Redis is down
        self.player_id, self.entering = player.pk, None
        await self.send_json({"type": Msg.LIVE_JOINED, "ref": ref, "token": token, "player": player_info(player)})
        if room.state is not None:
            self.sink.write(room.state)
        await self.send_json(you or frames.you_payload(player.pk, -1, None))

    async def on_live_answer(self, content):
        ref = content.get("ref")
        if self.player_id is None:
            return await self.send_error("not_joined", _("Hãy vào trò chơi trước."), ref=ref)
        index = content.get("index")
        if isinstance(index, bool) or not isinstance(index, int):
            return await self.send_error("invalid", _("Thiếu số thứ tự câu hỏi."), ref=ref)
        request = AnswerRequest(
            game_id=self.game_id,
            player_id=self.player_id,
            index=index,
            response=content.get("response"),
            received_at=timezone.now(),
        )
        result = await self._submit(request, ref)
        if result is None:
            return
        if isinstance(result, DomainError):
            raise result
        assert isinstance(result, AnswerSaved)
        ANSWERS_ACKNOWLEDGED.labels("live").inc()
        await self.send_json(
            {"type": Msg.LIVE_ANSWERED, "ref": ref, "index": result.index, "saved_at": frames.ms(result.saved_at)}
        )


class ScreenConsumer(LiveConsumer):
    """``/ws/live/<game>/host/`` and ``/screen/``: the host console and the projector.

    Signed-in staff who manage the game only; they get a full snapshot from the database on
    every (re)connect, then the game's messages and the screen-only counts.
    """

    accepts = frozenset({Msg.PING})

    async def connect(self):
        self.game_id = self._game_id()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        snapshot = await database_sync_to_async(_screen_snapshot)(user, self.game_id)
        if snapshot is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.accept()
        await hub.add_screen(self.game_id, self.sink)
        await self.send_json(snapshot["state"])
        await self.send_json(
            {
                "type": Msg.LIVE_LOBBY,
                "players": snapshot["state"]["players"],
                "joined": snapshot["players"],
                "reset": True,
            }
        )
        await self.send_json(
            {"type": Msg.LIVE_COUNT, "index": snapshot["state"]["index"], "answered": snapshot["answered"],
             "players": snapshot["state"].get("alive", snapshot["state"]["players"])}
        )  # fmt: skip

    async def disconnect(self, code):
        if self.sink is not None:
            hub.remove(self.game_id, self.sink)


def _screen_snapshot(user, game_id: int) -> dict | None:
    from core.roles import in_scope
    from live.models import LiveGame
    from live.selectors import host_snapshot

    game = LiveGame.objects.select_related("round").filter(pk=game_id).first()
    if game is None or not in_scope(user, game, "manage"):
        return None
    return host_snapshot(game)
