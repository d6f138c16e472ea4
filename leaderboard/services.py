"""Every write of the leaderboard app: publishing rankings, reviewing attempts, freezing.

Each function takes keyword arguments, runs in one transaction, checks the actor's scope and
raises ``DomainError`` subclasses with translated messages.
"""

import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.models import Attempt, AttemptStatus, Contest, Reveal, Round
from contest.scope import manages_contest, manages_round
from contest.services import attempt_disqualify, round_update
from core import pagecache
from core.errors import Conflict, NotFound, ValidationFailed
from core.realtime.events import send_on_commit
from leaderboard import snapshot
from leaderboard.aggregation import DEFAULT_TOP_K, METRICS
from leaderboard.certificates import issuer_snapshot
from leaderboard.models import AttemptReview, Kind, Publication, PublishedRow, ReviewAction
from leaderboard.scopes import Filters, RankingScope

MAX_TOP_K = 100


def check_manages_contest(user, contest: Contest) -> None:
    if not manages_contest(user, contest):
        raise NotFound()


def series_of(scope: RankingScope, kind: str, metric: str, top_k: int | None, filters: Filters) -> str:
    return "|".join([kind, scope.key, metric or "-", str(top_k or "-"), json.dumps(filters.as_dict(), sort_keys=True)])


def clean_ranking(kind: str, metric: str, top_k) -> tuple[str, str, int | None]:
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Loại bảng xếp hạng không hợp lệ.")]
    if kind == Kind.INDIVIDUAL:
        metric, top_k = "", None
    else:
        metric = metric or "participants"
        if metric not in METRICS:
            errors["metric"] = [_("Tiêu chí xếp hạng không hợp lệ.")]
        try:
            top_k = int(top_k) if top_k not in (None, "") else DEFAULT_TOP_K
            if not 1 <= top_k <= MAX_TOP_K:
                raise ValueError
        except (TypeError, ValueError):
            errors["top_k"] = [_("k phải từ 1 đến %(max)s.") % {"max": MAX_TOP_K}]
    if errors:
        raise ValidationFailed(_("Dữ liệu không hợp lệ."), fields=errors)
    return kind, metric, top_k


def publish_confirmed(confirmed: bool) -> None:
    """A publication cannot be taken back: the page and the API publish only with the
    organiser's explicit confirmation (the page's dialog sends ``confirmed``)."""
    if confirmed is not True:
        raise ValidationFailed(
            _("Hãy xác nhận trước khi công bố: bản công bố không sửa được."),
            code="confirmation_required",
            fields={"confirmed": [_("Hãy xác nhận công bố.")]},
        )


@transaction.atomic
def ranking_publish(
    *,
    user,
    scope: RankingScope,
    kind: str,
    filters: Filters,
    metric: str = "",
    top_k=None,
    note: str = "",
    now=None,
    is_demo: bool = False,
) -> Publication:
    """Publish one ranking as an immutable snapshot: the next version of its series.

    Every round it covers must be finalized (final standings stored). The previous version,
    if any, is marked superseded by this one and stays readable.
    """
    contest = scope.contest
    check_manages_contest(user, contest)
    kind, metric, top_k = clean_ranking(kind, metric, top_k)
    if not scope.rounds:
        raise Conflict(_("Cuộc thi chưa có vòng thi nào để công bố."), code="no_rounds")
    unfinished = [r.name for r in scope.rounds if r.finalized_at is None]
    if unfinished:
        raise Conflict(
            _("Chưa thể công bố: vòng thi chưa kết thúc và chốt kết quả: %(names)s.")
            % {"names": ", ".join(unfinished)},
            code="rounds_not_final",
        )
    hidden = [r.name for r in scope.rounds if r.reveal_after_close < Reveal.SCORE]
    if hidden:
        # A published ranking shows scores: it may not say more than the round's pupils may see.
        raise Conflict(
            _("Chưa thể công bố: vòng thi không cho học sinh xem điểm sau khi đóng: %(names)s.")
            % {"names": ", ".join(hidden)},
            code="scores_hidden",
        )
    now = now or timezone.now()
    series = series_of(scope, kind, metric, top_k, filters)
    previous = (
        Publication.objects.select_for_update().filter(contest=contest, series=series).order_by("-version").first()
    )
    if kind == Kind.INDIVIDUAL:
        rows = snapshot.individual_rows(scope, filters)
        summary = snapshot.summary(scope, filters, rows)
    else:
        rows = snapshot.unit_rows(scope, filters, kind, metric, top_k)
        summary = snapshot.summary(scope, filters)
    publication = Publication(
        contest=contest,
        kind=kind,
        series=series,
        title=snapshot.title_for(scope, kind, metric, filters),
        metric=metric,
        top_k=top_k,
        filters=filters.as_dict(),
        version=(previous.version + 1) if previous else 1,
        published_at=now,
        published_by=user,
        publisher_name=(user.get_full_name() or user.username)[:200],
        note=(note or "").strip()[:2000],
        summary=summary,
        issuer=issuer_snapshot(contest),
        is_demo=is_demo,
    )
    publication.save()
    publication.rounds.set(scope.rounds)
    for row in rows:
        row.publication = publication
    PublishedRow.objects.bulk_create(rows, batch_size=1000)
    if previous is not None:
        Publication.objects.filter(contest=contest, series=series).exclude(pk=publication.pk)._supersede(
            superseded_by=publication, superseded_at=now
        )
    # The public list and the older versions' pages (now "superseded") change.
    pagecache.bump_on_commit(pagecache.RANKINGS)
    return publication


def _attempt_for_review(user, attempt_id) -> Attempt:
    attempt = Attempt.objects.select_related("round").filter(pk=attempt_id).first()
    if attempt is None or not manages_round(user, attempt.round):
        raise NotFound(_("Không tìm thấy lượt thi."))
    return attempt


@transaction.atomic
def attempt_review(*, user, attempt_id: int, action: str, reason: str, now=None) -> AttemptReview:
    """Flag an attempt for review, disqualify it or reinstate it; the reason is recorded.

    Disqualifying and reinstating go through the contest's standings service, which
    recounts the student's attempts (and the final ranks of a finalized round).
    """
    attempt = _attempt_for_review(user, attempt_id)
    reason = (reason or "").strip()
    if action not in ReviewAction.values:
        raise ValidationFailed(fields={"action": [_("Thao tác không hợp lệ.")]})
    if not reason:
        raise ValidationFailed(_("Hãy ghi lý do."), code="reason_required", fields={"reason": [_("Bắt buộc.")]})
    if attempt.status == AttemptStatus.IN_PROGRESS and action != ReviewAction.FLAG:
        raise Conflict(_("Không thể loại một lượt thi đang làm bài."), code="attempt_open")
    if action == ReviewAction.DISQUALIFY:
        attempt_disqualify(attempt_id=attempt.pk, disqualified=True, reason=reason)
    elif action == ReviewAction.REINSTATE:
        if not attempt.disqualified:
            raise Conflict(_("Lượt thi này không bị loại."), code="not_disqualified")
        attempt_disqualify(attempt_id=attempt.pk, disqualified=False)
    return AttemptReview.objects.create(
        attempt=attempt, action=action, reason=reason[:300], by=user, at=now or timezone.now()
    )


@transaction.atomic
def board_freeze(*, user, round_: Round, at=None) -> Round:
    """Freeze the round's board now (or at ``at``): students then see it as it stood."""
    if not manages_round(user, round_):
        raise NotFound()
    at = at or timezone.now()
    if round_.closes_at is not None and at >= round_.closes_at:
        raise Conflict(_("Vòng thi đã đóng; không thể đóng băng bảng xếp hạng nữa."), code="round_closed")
    if round_.opens_at is not None and at < round_.opens_at:
        at = round_.opens_at
    round_ = round_update(user=user, round_=round_, board_freeze_at=at)
    _freeze_changed(round_)
    return round_


def _freeze_changed(round_: Round) -> None:
    """Every socket of the round re-reads its slice: the view switches to (or from) frozen."""
    from leaderboard.boards.sync import invalidate_frozen
    from leaderboard.push import boards_changed

    def after():
        invalidate_frozen(contest_id=round_.contest_id, round_id=round_.pk)
        boards_changed(round_, freeze_changed=True)

    send_on_commit(after)


@transaction.atomic
def board_unfreeze(*, user, round_: Round) -> Round:
    if not manages_round(user, round_):
        raise NotFound()
    round_ = round_update(user=user, round_=round_, board_freeze_at=None)
    _freeze_changed(round_)
    return round_
