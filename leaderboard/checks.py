"""Is a published ranking still what the stored rows give? Used after a restore (and by
organisers before an appeal): every current publication is recomputed from the attempts and
answers, optionally after re-scoring its rounds, and compared row by row."""

from __future__ import annotations

from contest.services import rescore_round
from leaderboard import snapshot
from leaderboard.models import Kind, Publication
from leaderboard.scopes import Filters, RankingScope

COMPARED = ("position", "rank", "prize", "subject_id", "name", "values")


def _scope_of(publication: Publication) -> RankingScope:
    rounds = tuple(publication.rounds.order_by("opens_at", "pk"))
    year = publication.series.split("|")[1] == "year"
    return RankingScope(publication.contest, rounds, year)


def _filters_of(publication: Publication) -> Filters:
    data = publication.filters or {}
    return Filters(level=data.get("level", ""), grade=data.get("grade"), commune_id=data.get("commune"))


def _row(row) -> tuple:
    return tuple(getattr(row, field) for field in COMPARED)


def publication_differences(publication: Publication) -> list[str]:
    """The rows where the publication and a fresh computation disagree (empty: identical)."""
    scope, filters = _scope_of(publication), _filters_of(publication)
    if publication.kind == Kind.INDIVIDUAL:
        fresh = snapshot.individual_rows(scope, filters)
    else:
        fresh = snapshot.unit_rows(scope, filters, publication.kind, publication.metric, publication.top_k)
    stored = list(publication.rows.order_by("position"))
    out = []
    if len(fresh) != len(stored):
        out.append(f"{len(stored)} rows published, {len(fresh)} computed")
    for old, new in zip(stored, fresh, strict=False):
        if _row(old) != _row(new):
            out.append(f"position {old.position}: published {_row(old)}, computed {_row(new)}")
    return out


def publications_check(*, rescore: bool = False) -> dict[int, list[str]]:
    """Every current publication's differences, by publication id. With ``rescore``, each
    round they cover is re-scored from its stored answers first (which changes nothing when
    the data is intact: ``rescore_round`` is reproducible)."""
    current = Publication.objects.filter(superseded_by__isnull=True).select_related("contest").order_by("pk")
    if rescore:
        for round_id in sorted({r.pk for p in current for r in p.rounds.all()}):
            rescore_round(round_id=round_id)
    return {p.pk: publication_differences(p) for p in current}
