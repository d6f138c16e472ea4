"""The per-process group commit of joins and answers.

Consumers hand each ``live.join`` and ``live.answer`` to ``batcher.submit`` and await a
future (``core.batching.GroupCommit``: one writer thread, one connection, futures resolved
only after the commit): joins in one transaction, answers in another. So a burst of 5,000
answers costs a few dozen commits, and consumers never touch the ORM (no per-message
``close_old_connections`` thread hop).

After a batch of answers, the batcher tells the screens how many have answered (at most
``COUNT_EVERY_S`` apart per game) and closes the question once everyone has.
"""

import logging
import time

from django.db import close_old_connections, connection

from core.batching import GroupCommit
from core.realtime.protocol import Msg
from live import publish
from live.services.answers import AnswerRequest, Touched, answers_save_batch
from live.services.players import JoinRequest, players_join_batch

logger = logging.getLogger(__name__)

MAX_BATCH = 500
WINDOW_S = 0.004
COUNT_EVERY_S = 0.25


class Batcher(GroupCommit):
    name = "live-batcher"

    def __init__(self):
        super().__init__(max_batch=MAX_BATCH, window_s=WINDOW_S)
        self._counted: dict[int, float] = {}
        self._count_later: dict[int, Touched] = {}

    def reset(self) -> None:
        self._counted = {}
        self._count_later = {}

    def write_batch(self, requests: list) -> tuple[list, list[Touched]]:
        """Joins, then answers, each in one transaction."""
        close_old_connections()
        out: list = [None] * len(requests)
        touched: list[Touched] = []
        joins = [(i, r) for i, r in enumerate(requests) if isinstance(r, JoinRequest)]
        answers = [(i, r) for i, r in enumerate(requests) if isinstance(r, AnswerRequest)]
        if joins:
            for (i, _r), result in zip(joins, players_join_batch([r for _i, r in joins]), strict=True):
                out[i] = result
        if answers:
            results, touched = answers_save_batch([r for _i, r in answers])
            for (i, _r), result in zip(answers, results, strict=True):
                out[i] = result
        return out, touched

    def after_batch(self, loop, touched: list[Touched]) -> None:
        """Tell the screens how many have answered, at most every ``COUNT_EVERY_S`` a game."""
        now = time.monotonic()
        due = []
        for t in touched:
            last = self._counted.get(t.game_id, 0.0)
            if now - last >= COUNT_EVERY_S:
                self._counted[t.game_id] = now
                due.append(t)
            elif t.game_id not in self._count_later:
                self._count_later[t.game_id] = t
                loop.call_later(COUNT_EVERY_S - (now - last), self._late_count, t.game_id)
            else:
                self._count_later[t.game_id] = t
        if due:
            self.run_on_writer(_count_and_close, due)

    def _late_count(self, game_id: int) -> None:
        t = self._count_later.pop(game_id, None)
        if t is not None:
            self._counted[game_id] = time.monotonic()
            self.run_on_writer(_count_and_close, [t])


def _count_and_close(touched: list[Touched]) -> None:
    """Tell the screens how many have answered; close the question if everyone has."""
    from contest.models import Answer
    from live.services.flow import question_close_if_all_answered
    from live.services.players import LivePlayer

    try:
        for t in touched:
            answered = Answer.objects.filter(attempt__round_id=t.round_id, question_version_id=t.version_id).count()
            players = LivePlayer.objects.filter(game_id=t.game_id, kicked_at__isnull=True)
            if t.elimination:
                players = players.filter(out_index__isnull=True)
            eligible = players.count()
            publish.screens(
                t.game_id, {"type": Msg.LIVE_COUNT, "index": t.index, "answered": answered, "players": eligible}
            )
            if eligible and answered >= eligible:
                question_close_if_all_answered(game_id=t.game_id, index=t.index)
    except Exception:
        logger.exception("live: counting answers failed")
        connection.close()


batcher = Batcher()
