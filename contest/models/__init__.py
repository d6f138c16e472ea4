"""Contest models: the yearly contest, its rounds, attempts, answers and the answer log."""

from contest.models.attempts import Answer, AnswerLog, Attempt, AttemptStatus
from contest.models.contests import (
    AttemptsPolicy,
    Contest,
    PredictionKind,
    Reveal,
    Round,
    RoundMode,
    RoundQuestion,
    Selection,
    Tiebreak,
)

__all__ = [
    "Answer",
    "AnswerLog",
    "Attempt",
    "AttemptStatus",
    "AttemptsPolicy",
    "Contest",
    "PredictionKind",
    "Reveal",
    "Round",
    "RoundMode",
    "RoundQuestion",
    "Selection",
    "Tiebreak",
]
