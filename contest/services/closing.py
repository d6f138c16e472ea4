"""The organiser's "Đóng vòng ngay": close an open window round now and finalize it."""

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.models import Round, RoundMode
from contest.services.standings import finalize_locked
from core.errors import Conflict, NotFound


@dataclasses.dataclass(frozen=True)
class CloseResult:
    round: Round
    attempts_ended: int


def round_close_now(*, round_id: int, now: datetime.datetime | None = None) -> CloseResult:
    """Close the open window round ``round_id`` at ``now``: its closing time becomes now,
    every running attempt ends at once with the answers saved so far (expired, as at the
    deadline), and the round is finalized on the clock's own path (``finalize_locked``):
    standings, question statistics, the boards, and one ``round.closed`` to the pupils'
    sockets. Scope is checked by the caller.

    Refused (nothing changes) for a live round, a round not yet open, and a round already
    closed or finalized (a second click, or the clock came first).
    """
    now = now or timezone.now()
    with transaction.atomic():
        round_ = Round.objects.select_for_update(no_key=True).filter(pk=round_id).first()
        if round_ is None:
            raise NotFound(_("Không tìm thấy vòng thi."))
        if round_.mode != RoundMode.WINDOW:
            raise Conflict(_("Vòng thi này không làm bài theo khung giờ."), code="wrong_mode")
        if round_.finalized_at is not None or now >= round_.closes_at:
            raise Conflict(_("Vòng thi đã đóng."), code="closed")
        if now < round_.opens_at:
            raise Conflict(_("Vòng thi chưa mở; hãy sửa thời gian mở và đóng thay vì đóng ngay."), code="not_open")
        # closes_at must stay after opens_at (a database constraint).
        round_.closes_at = max(now, round_.opens_at + datetime.timedelta(microseconds=1))
        round_.save(update_fields=["closes_at"])
        ended = finalize_locked(round_, now=now)
    return CloseResult(round=round_, attempts_ended=ended)
