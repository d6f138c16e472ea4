"""The teacher's report of a live game, read from the stored rows only.

Everything comes from what the game wrote: the players (``LivePlayer`` and their
``contest.Attempt``: score, rank, time), the questions as asked (``LiveQuestion``: the version,
the opening time, the limit and the pauses) and the ``contest.Answer`` rows of the game's round.
Nothing is written; the numbers are the ones the game showed (points and correctness as
stored, times measured as the scoring measured them: from the question's opening, pauses
excluded, capped at its limit).

Four queries whatever the size of the game: the players with their attempts, the questions
with their versions, the answers, and the game itself (passed in).
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from contest.models import Answer
from live import standings
from live.models import LiveGame, LivePlayer, LiveQuestion
from quizbank.rendering import plain_text

# The tiles' shapes, in the order of live/static/live/common.js (the report names a choice
# by the shape the class saw, and its text).
SHAPES = ["▲", "◆", "●", "■", "★", "⬢", "✚", "▼"]

RIGHT, WRONG, NONE = "right", "wrong", "none"


@dataclass
class QuestionReport:
    index: int
    number: int
    stem: str
    qtype: str
    # (label, count, right) per choice; for other types ("Đúng"/"Sai" counts) right/wrong.
    options: list[tuple[str, int, bool]] = field(default_factory=list)
    answered: int = 0
    right: int = 0
    total_ms: int = 0
    players: int = 0

    @property
    def pct_right(self) -> float:
        """Share of the players of the game (not only those who answered) who were right."""
        return round(100 * self.right / self.players, 1) if self.players else 0.0

    @property
    def avg_s(self) -> float | None:
        return round(self.total_ms / self.answered / 1000, 1) if self.answered else None


@dataclass
class PlayerReport:
    rank: int | None
    name: str
    team: str
    score: float
    correct: int
    answered: int
    time_s: float | None
    kicked: bool
    out_number: int | None
    marks: list[str]  # RIGHT / WRONG / NONE per question, in the order asked
    seconds: list[float | None]  # time taken per question


@dataclass
class GameReport:
    game: LiveGame
    questions: list[QuestionReport]
    players: list[PlayerReport]
    teams: list[dict]

    @property
    def hardest(self) -> list[QuestionReport]:
        """Questions with the fewest right answers first (ties: the slower first)."""
        return sorted(self.questions, key=lambda q: (q.pct_right, -(q.avg_s or 0), q.index))


def _options(version, distribution: dict) -> list[tuple[str, int, bool]]:
    if version.qtype in ("single", "multiple", "truefalse"):
        right = set(version.correct_ids())
        return [
            (
                f"{SHAPES[i % len(SHAPES)]} {plain_text(c.get('text') or '') or c['id']}",
                distribution.get(c["id"], 0),
                c["id"] in right,
            )
            for i, c in enumerate(version.choices)
        ]
    return []


def game_report(game: LiveGame) -> GameReport:
    """The report of ``game`` (ended or not: a running game reports what is closed so far)."""
    asked = list(LiveQuestion.objects.filter(game=game).select_related("question_version").order_by("index"))
    players = list(
        LivePlayer.objects.filter(game=game)
        .select_related("attempt")
        .only(
            "pk", "name", "team", "kicked_at", "out_index", "attempt__score", "attempt__rank", "attempt__time_used_ms"
        )
    )
    by_version = {q.question_version_id: q for q in asked}
    position = {q.question_version_id: n for n, q in enumerate(asked)}
    # {attempt_id: {version_id: (correct, elapsed_ms)}}
    answers: dict[int, dict[int, tuple[bool, int]]] = {}
    rows = Answer.objects.filter(attempt__round_id=game.round_id).values_list(
        "attempt_id", "question_version_id", "correct", "received_at"
    )
    for attempt_id, vid, correct, received_at in rows:
        question = by_version.get(vid)
        if question is None:
            continue
        elapsed = min(standings.elapsed_ms(question, received_at), question.limit_ms)
        answers.setdefault(attempt_id, {})[vid] = (bool(correct), elapsed)

    team_names = {t["key"]: t["name"] for t in game.teams}
    counted = [p for p in players if p.kicked_at is None]
    questions = []
    for n, q in enumerate(asked):
        version = q.question_version
        report = QuestionReport(
            index=q.index,
            number=n + 1,
            stem=plain_text(version.stem),
            qtype=version.qtype,
            options=_options(version, q.distribution or {}),
            players=len(counted),
        )
        for p in counted:
            got = answers.get(p.attempt_id, {}).get(q.question_version_id)
            if got is not None:
                report.answered += 1
                report.right += got[0]
                report.total_ms += got[1]
        questions.append(report)

    out = []
    for p in players:
        mine = answers.get(p.attempt_id, {})
        marks: list[str] = [NONE] * len(asked)
        seconds: list[float | None] = [None] * len(asked)
        for vid, (correct, elapsed) in mine.items():
            marks[position[vid]] = RIGHT if correct else WRONG
            seconds[position[vid]] = round(elapsed / 1000, 1)
        total_ms = sum(e for _c, e in mine.values())
        out.append(
            PlayerReport(
                rank=p.attempt.rank,
                name=p.name,
                team=team_names.get(p.team, ""),
                score=p.attempt.score,
                correct=marks.count(RIGHT),
                answered=len(mine),
                time_s=round((p.attempt.time_used_ms or total_ms) / 1000, 1) if mine else None,
                kicked=p.kicked_at is not None,
                out_number=p.out_index + 1 if p.out_index is not None else None,
                marks=marks,
                seconds=seconds,
            )
        )
    # The stored rank once the game has ended; before that (or for a kicked player) by score.
    out.sort(key=lambda r: (r.kicked, r.rank is None, r.rank or 0, -r.score, r.name))
    teams = standings.team_board(
        game, [SimpleNamespace(team=p.team, score=p.attempt.score) for p in players if p.kicked_at is None]
    )
    return GameReport(game=game, questions=questions, players=out, teams=teams)
