"""Standings of a live game, computed from stored rows only (DESIGN invariant 6).

Everything here is a pure function of the players, the stored answers and the questions'
timelines, so the numbers shown at a question's close, the final ranks and a re-score agree.
The live order is the round's scoring format (``speed``: points; ``accuracy``: correct answers,
then the time taken), except in elimination, where players still standing come first, then
those who lasted longer.
"""

from dataclasses import dataclass, field

from contest.scoring import AnswerContext, Standing, format_for, ranks

TOP = 5
CLIMBERS = 3


def paused_before(pauses: list, at_ms: int) -> int:
    """Milliseconds of pause between the question's open and ``at_ms``."""
    total = 0
    for start, end in pauses:
        end = at_ms if end is None else end
        if start < at_ms:
            total += max(0, min(end, at_ms) - start)
    return total


def elapsed_ms(question, received_at) -> int:
    """Time the player took: from the question's open to receipt, pauses excluded."""
    received = int(received_at.timestamp() * 1000)
    opened = int(question.opened_at.timestamp() * 1000)
    return max(0, received - opened - paused_before(question.pauses, received))


def answer_context(question, received_at, grade) -> AnswerContext:
    return AnswerContext(
        fraction=grade.fraction,
        correct=grade.correct,
        elapsed_ms=min(elapsed_ms(question, received_at), question.limit_ms),
        limit_ms=question.limit_ms,
    )


@dataclass
class Row:
    """One player's standing after some question."""

    player_id: int
    name: str
    team: str
    score: float = 0.0
    correct: int = 0
    time_ms: int = 0
    alive: bool = True
    out_index: int | None = None
    rank: int = 0
    extra: dict = field(default_factory=dict)


def compute(game, players: list, answers: dict, questions: dict, upto: int) -> list[Row]:
    """Ranked rows after question ``upto`` (inclusive; -1: before any question).

    ``players``: LivePlayer objects (kicked ones are left out); ``answers``:
    ``{attempt_id: {version_id: (correct, points, elapsed_ms)}}``; ``questions``:
    ``{index: LiveQuestion}`` of the asked questions.
    """
    fmt = format_for(game.round)
    order = game.question_order[: upto + 1]
    limits = {game.question_order[i]: questions[i].limit_ms for i in range(upto + 1) if i in questions}
    rows = []
    for p in players:
        if p.kicked_at is not None:
            continue
        mine = answers.get(p.attempt_id, {})
        in_order = [(mine[v][0], mine[v][1]) if v in mine else None for v in order]
        row = Row(player_id=p.pk, name=p.name, team=p.team)
        row.score = fmt.attempt_score(in_order)
        row.correct = sum(1 for a in in_order if a is not None and a[0])
        row.time_ms = sum(mine[v][2] if v in mine else limits.get(v, 0) for v in order)
        if game.mode == "elimination":
            row.out_index = p.out_index if p.out_index is not None and p.out_index <= upto else None
            row.alive = row.out_index is None
        rows.append(row)

    def key(r: Row) -> tuple:
        base = fmt.rank_key(Standing(score=r.score, time_used_ms=r.time_ms, submitted_at_ms=None), final=False)
        if game.mode == "elimination":
            return (0 if r.alive else 1, -(r.out_index if r.out_index is not None else 0), *base)
        return base

    ranked = []
    for rank, row in ranks(rows, key=key):
        row.rank = rank
        ranked.append(row)
    return ranked


def team_board(game, rows: list[Row]) -> list[dict]:
    """Teams by their members' average score (empty teams last)."""
    if not game.team_mode:
        return []
    members: dict[str, list[float]] = {}
    for r in rows:
        members.setdefault(r.team, []).append(r.score)
    out = []
    for team in game.teams:
        scores = members.get(team["key"], [])
        out.append(
            {
                "key": team["key"],
                "name": team["name"],
                "members": len(scores),
                "score": round(sum(scores) / len(scores), 1) if scores else 0.0,
            }
        )
    out.sort(key=lambda t: (t["members"] == 0, -t["score"], t["name"]))
    for position, t in enumerate(out, start=1):
        t["rank"] = position
    return out


def board(game, before: list[Row], after: list[Row]) -> dict:
    """The leaderboard after a question: top players, the biggest climbers and the teams."""
    previous = {r.player_id: r.rank for r in before}
    top = [public_row(r) for r in after[:TOP]]
    climbs = []
    for r in after:
        was = previous.get(r.player_id)
        if was is not None and was > r.rank:
            climbs.append((was - r.rank, -r.score, r.rank, r))
    climbs.sort(key=lambda c: c[:3], reverse=False)
    climbs.sort(key=lambda c: -c[0])
    climbers = [{**public_row(c[3]), "from": previous[c[3].player_id], "to": c[3].rank} for c in climbs[:CLIMBERS]]
    out = {"top": top, "climbers": climbers, "teams": team_board(game, after)}
    if game.mode == "elimination":
        out["alive"] = sum(1 for r in after if r.alive)
    return out


def public_row(r: Row) -> dict:
    return {"id": r.player_id, "name": r.name, "team": r.team, "score": r.score, "rank": r.rank, "alive": r.alive}
