"""``/ws/leaderboard/rounds/<id>/`` and ``/ws/leaderboard/contests/<id>/``: live boards.

On connect the socket gets a ``board.snapshot``; after changes, at most about one
``board.update`` a second (``leaderboard.push``), each a small slice for this viewer: the
top of the board it follows, its own rank and neighbours. Organisers of the round or
contest join the staff group and see the live board; everyone else sees the frozen board
once a freeze is in force.

The sockets of one group in a process share their reads (``GroupHub``): a push reaches every
socket of the group at once, and rather than each reading its own slice from the database,
they ask the group's hub, which builds the slices of every socket waiting from one
``board_payloads`` call (a fixed number of queries and one Redis round trip). Snapshots of
sockets that open together (a worker's pupils coming back after it died) are batched the
same way.
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
from leaderboard.selectors import BOARDS, Viewer, board_payloads

logger = logging.getLogger(__name__)


def _load(kind: str, pk: int, user):
    model = Round if kind == "round" else Contest
    obj = model.objects.filter(pk=pk).first()
    if obj is None or not in_scope(user, obj, "view"):
        return None, False
    staff = manages_round(user, obj) if kind == "round" else manages_contest(user, obj)
    return obj, staff


class GroupHub:
    """The board sockets of one group in this process: one read for all that wait.

    A socket asks for its payload (``payload``) and waits; the hub gathers the sockets that
    ask within ``GATHER_S`` (the deliveries of one push, the snapshots of a reconnect storm)
    and builds all their payloads with one ``board_payloads`` call on a socket thread. Asks
    that arrive while a build runs form the next one, so every payload is read after its ask.
    """

    GATHER_S = 0.01

    def __init__(self, kind: str, pk: int, staff: bool):
        self.kind, self.pk, self.staff = kind, pk, staff
        self.sockets = 0
        self._waiting: dict[BoardConsumer, asyncio.Future] = {}
        self._task: asyncio.Task | None = None
        self.builds = 0  # statistics for tests and benchmarks
        self.built = 0

    async def payload(self, consumer: "BoardConsumer") -> dict:
        loop = asyncio.get_running_loop()
        if self._task is not None and self._task.get_loop() is not loop:  # a new event loop (tests)
            self._task, self._waiting = None, {}
        future = self._waiting.get(consumer)
        if future is None:
            future = self._waiting[consumer] = loop.create_future()
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._run())
        return await future

    @property
    def _running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        while self._waiting:
            await asyncio.sleep(self.GATHER_S)
            batch, self._waiting = self._waiting, {}
            try:
                payloads = await socket_db(self._build)(list(batch))
            except Exception as exc:  # noqa: BLE001 - each waiting socket answers it
                for future in batch.values():
                    if not future.done():
                        future.set_exception(exc)
            else:
                for future, payload in zip(batch.values(), payloads, strict=True):
                    if not future.done():
                        future.set_result(payload)

    def _build(self, consumers: list["BoardConsumer"]) -> list[dict]:
        model = Round if self.kind == "round" else Contest
        # Read again for each build: freeze times and finalization change while sockets live.
        obj = model.objects.get(pk=self.pk)
        kwargs = {"round_": obj} if self.kind == "round" else {"contest": obj}
        self.builds += 1
        self.built += len(consumers)
        return board_payloads([Viewer(c.user, c.board) for c in consumers], staff=self.staff, **kwargs)


# (kind, pk, staff) -> the hub of the sockets in this process following that board group
hubs: dict[tuple[str, int, bool], GroupHub] = {}


def _hub_join(kind: str, pk: int, staff: bool) -> GroupHub:
    hub = hubs.get((kind, pk, staff))
    if hub is None:
        hub = hubs[(kind, pk, staff)] = GroupHub(kind, pk, staff)
    hub.sockets += 1
    return hub


def _hub_leave(hub: GroupHub) -> None:
    hub.sockets -= 1
    if hub.sockets <= 0 and not hub._running:
        hubs.pop((hub.kind, hub.pk, hub.staff), None)


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
        self.hub = _hub_join(self.kind, self.obj.pk, staff)
        remember_loop(asyncio.get_running_loop())
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send_board(Msg.BOARD_SNAPSHOT)

    async def disconnect(self, code):
        if getattr(self, "hub", None) is not None:
            _hub_leave(self.hub)
            self.hub = None
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def _send_board(self, msg_type: str, ref=None) -> None:
        payload = await self.hub.payload(self)
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
