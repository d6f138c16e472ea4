"""Where a pupil is in their paper, and which questions they flagged for review.

Both live on the attempt (``position``, ``flagged``), so a reload or a second device opens the
question the pupil was on, with the same flags. They are conveniences, not results: they never
touch an answer, a score or the answer log, and they are refused once the attempt has ended.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.models import Attempt, AttemptStatus
from contest.policies import is_late
from contest.services.attempts import own_attempt_locked
from core.errors import Conflict, ValidationFailed


def _positions(attempt: Attempt) -> int:
    """The last valid position: the questions, plus the prediction question if there is one."""
    return len(attempt.question_order) + (1 if attempt.round.prediction_kind else 0)


def _check_open(attempt: Attempt, now: datetime.datetime) -> None:
    if attempt.status != AttemptStatus.IN_PROGRESS or is_late(now, attempt.deadline):
        raise Conflict(_("Lượt thi đã kết thúc."), code="attempt_closed")


@transaction.atomic
def attempt_navigate(
    *,
    user,
    attempt_id: int,
    position: int | None = None,
    question: int | None = None,
    flagged: bool | None = None,
    now: datetime.datetime | None = None,
) -> Attempt:
    """Store the pupil's current position (1-based; the prediction question is N + 1) and/or
    set or clear the review flag of one question (a QuestionVersion id of the paper).

    The attempt row is locked so two devices flagging at once never lose each other's flags.
    Only the two navigation columns are written, so a concurrent answer batch (which updates
    the totals) is never overwritten.
    """
    now = now or timezone.now()
    attempt = own_attempt_locked(user, attempt_id)
    _check_open(attempt, now)
    fields = []
    if position is not None:
        if isinstance(position, bool) or not isinstance(position, int) or not 1 <= position <= _positions(attempt):
            raise ValidationFailed(
                _("Không có câu hỏi này trong bài."), code="bad_position", fields={"position": [_("Sai vị trí.")]}
            )
        attempt.position = position
        fields.append("position")
    if question is not None or flagged is not None:
        if question not in attempt.question_order or not isinstance(flagged, bool):
            raise ValidationFailed(
                _("Không có câu hỏi này trong bài."), code="bad_question", fields={"question": [_("Sai câu hỏi.")]}
            )
        marked = set(attempt.flagged or [])
        if flagged:
            marked.add(question)
        else:
            marked.discard(question)
        attempt.flagged = [vid for vid in attempt.question_order if vid in marked]
        fields.append("flagged")
    if not fields:
        raise ValidationFailed(_("Không có gì để lưu."), code="empty")
    attempt.save(update_fields=fields)
    return attempt
