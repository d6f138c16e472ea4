"""What a publication copies: the ranking's rows, prizes, certificate codes and chart data."""

from django.utils.translation import gettext as _

from leaderboard.aggregation import DEFAULT_TOP_K, unit_ranking
from leaderboard.models import Kind, PublishedRow, new_code
from leaderboard.rankings import allocate, allocate_individual, individual_ranking
from leaderboard.scopes import Filters, RankingScope

HISTOGRAM_BINS = 10
TOP_SCHOOLS_CHART = 15


def individual_rows(scope: RankingScope, filters: Filters) -> list[PublishedRow]:
    ranking = individual_ranking(scope, filters)
    allocate_individual(ranking, scope.contest)
    out = []
    for position, r in enumerate(ranking, start=1):
        out.append(
            PublishedRow(
                position=position,
                rank=r.rank,
                prize=r.prize,
                subject_id=r.student_id,
                name=r.name,
                public_name=r.public_name,
                class_name=r.class_name,
                school_name=r.school_name,
                commune_name=r.commune_name,
                values={
                    "score": r.score,
                    "time_ms": r.time_ms,
                    "rounds": r.rounds,
                    "grade": r.grade,
                    "prediction_error": r.prediction_error,
                    "user": r.user_id,
                },
                code=new_code() if r.prize else None,
            )
        )
    return out


def unit_rows(scope: RankingScope, filters: Filters, kind: str, metric: str, top_k: int) -> list[PublishedRow]:
    ranking = unit_ranking(scope, filters, unit=kind, metric=metric, top_k=top_k)
    allocate(ranking, scope.contest.unit_prizes or [], score=lambda r: r.metric(metric))
    out = []
    for position, r in enumerate(ranking, start=1):
        out.append(
            PublishedRow(
                position=position,
                rank=r.rank,
                prize=r.prize,
                subject_id=r.unit_id,
                name=r.name,
                public_name=r.name,
                class_name=r.name if kind == Kind.CLASS else "",
                school_name=r.detail if kind == Kind.CLASS else (r.name if kind == Kind.SCHOOL else ""),
                commune_name=r.detail if kind == Kind.SCHOOL else (r.name if kind == Kind.COMMUNE else ""),
                values={
                    "participants": r.participants,
                    "enrolled": r.enrolled,
                    "participation_rate": r.participation_rate,
                    "attempts": r.attempts,
                    "total": r.total,
                    "mean_score": r.mean_score,
                    "top_k_mean": r.top_k_mean,
                    "prize_points": r.prize_points,
                    "detail": r.detail,
                },
                code=new_code() if r.prize else None,
            )
        )
    return out


def summary(scope: RankingScope, filters: Filters, individual: list[PublishedRow] | None = None) -> dict:
    """Totals and the three charts of the public page, fixed at publication."""
    communes = unit_ranking(scope, filters, unit="commune", metric="participants", prizes=False)
    schools = unit_ranking(scope, filters, unit="school", metric="participation_rate", prizes=False)
    if individual is None:
        scores = [r.score for r in individual_ranking(scope, filters)]
    else:
        scores = [r.values["score"] for r in individual]
    top = max(scores, default=0.0)
    width = top / HISTOGRAM_BINS if top > 0 else 1.0
    bins = [0] * HISTOGRAM_BINS
    for s in scores:
        bins[min(HISTOGRAM_BINS - 1, int(s / width))] += 1
    return {
        "participants": len(scores),
        "schools": sum(1 for s in schools if s.participants),
        "attempts": sum(c.attempts for c in communes),
        "communes": [{"name": c.name, "participants": c.participants, "rate": c.participation_rate} for c in communes],
        "score_bins": [
            {"from": round(i * width, 2), "to": round((i + 1) * width, 2), "count": n} for i, n in enumerate(bins)
        ],
        "school_rates": [
            {"name": s.name, "rate": s.participation_rate}
            for s in schools[:TOP_SCHOOLS_CHART]
            if s.participation_rate is not None
        ],
        "label": scope.label(),
    }


def title_for(scope: RankingScope, kind: str, metric: str, filters: Filters) -> str:
    labels = {
        Kind.INDIVIDUAL: _("Xếp hạng cá nhân"),
        Kind.CLASS: _("Xếp hạng lớp"),
        Kind.SCHOOL: _("Xếp hạng trường"),
        Kind.COMMUNE: _("Xếp hạng xã/phường"),
        Kind.PROVINCE: _("Xếp hạng tỉnh/thành phố"),
    }
    return f"{labels[kind]} · {scope.contest.name} · {scope.label()}"[:300]


__all__ = ["DEFAULT_TOP_K", "individual_rows", "summary", "title_for", "unit_rows"]
