"""When a board is frozen.

A round's board freezes at ``Round.board_freeze_at`` (set by the organiser, usually some
minutes before the close). From then on students see the board as it stood at that instant;
organisers of the round keep seeing the live one. The freeze ends when the organiser lifts it
(clears the time) or publishes official results covering the round.
"""

from django.utils import timezone

from contest.models import Round


def is_frozen(round_: Round, now=None) -> bool:
    if round_.board_freeze_at is None:
        return False
    now = now or timezone.now()
    if now < round_.board_freeze_at:
        return False
    from leaderboard.models import Publication

    return not Publication.objects.filter(rounds=round_, published_at__gte=round_.board_freeze_at).exists()


def frozen_rounds(rounds: list[Round], now=None) -> list[Round]:
    now = now or timezone.now()
    candidates = [r for r in rounds if r.board_freeze_at is not None and now >= r.board_freeze_at]
    if not candidates:
        return []
    from leaderboard.models import Publication

    released = set(
        Publication.objects.filter(rounds__in=candidates).values_list("rounds__pk", "published_at").distinct()
    )
    out = []
    for r in candidates:
        if not any(pk == r.pk and at >= r.board_freeze_at for pk, at in released):
            out.append(r)
    return out
