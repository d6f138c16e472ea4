"""``/ws/leaderboard/rounds/<id>/`` and ``/ws/leaderboard/contests/<id>/``: live boards.

On connect the socket gets a ``board.snapshot``; after changes, at most about one
``board.update`` a second (``leaderboard.push``), each a small slice read for this viewer:
the top of the board it follows, its own rank and neighbours. Organisers of the round or
contest join the staff group and see the live board; everyone else sees the frozen board
once a freeze is in force.
"""

import asyncio
import logging

from django.utils.translation import gettext as _

from contest.models import Contest, Round
from contest.scope import manages_contest, manages_round
from core.errors import ValidationFailed, is_infrastructure_error
from core.realtime.consumers import JsonConsumer
from core.realtime.db import NoHopDispatchMixin, socket_db
from core.realtime.events import remember_loop
from core.realtime.protocol import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED, Msg, board_group
from core.roles import in_scope
from leaderboard.selectors import BOARDS, board_payload

logger = logging.getLogger(__name__)


def _load(kind: str, pk: int, user):
    model = Round if kind == "round" else Contest
    obj = model.objects.filter(pk=pk).first()
    if obj is None or not in_scope(user, obj, "view"):
        return None, False
    staff = manages_round(user, obj) if kind == "round" else manages_contest(user, obj)
    return obj, staff


class BoardConsumer(NoHopDispatchMixin, JsonConsumer):
    kind = "round"
    accepts = frozenset({Msg.BOARD_VIEW})

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.obj, staff = await socket_db(_load)(self.kind, int(self.scope["url_route"]["kwargs"]["pk"]), user)
        if self.obj is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.board = "all"
        self.group = board_group(self.kind, self.obj.pk, staff=staff)
        remember_loop(asyncio.get_running_loop())
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send_board(Msg.BOARD_SNAPSHOT)

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    def _payload(self) -> dict:
        kwargs = {"round_": self.obj} if self.kind == "round" else {"contest": self.obj}
        # The object is read again: freeze times and finalization change while a socket lives.
        self.obj.refresh_from_db()
        return board_payload(self.user, board=self.board, **kwargs)

    async def _send_board(self, msg_type: str, ref=None) -> None:
        payload = await socket_db(self._payload)()
        await self.send_json({"type": msg_type, "ref": ref, **payload})

    async def on_board_view(self, content):
        board = content.get("board")
        if board not in BOARDS:
            raise ValidationFailed(_("Bảng xếp hạng không tồn tại."), code="bad_board")
        self.board = board
        await self._send_board(Msg.BOARD_SNAPSHOT, ref=content.get("ref"))

    async def leaderboard_changed(self, event):
        try:
            await self._send_board(Msg.BOARD_UPDATE)
        except Exception as exc:
            if not is_infrastructure_error(exc):
                raise
            # Redis or the database is down: this push is skipped, the socket stays; the
            # boards are rebuilt and pushed again when it is back (leaderboard.boards.outage).
            logger.warning("board push skipped: %s: %s", type(exc).__name__, exc)


class ContestBoardConsumer(BoardConsumer):
    kind = "contest"
