"""Question bank models: the topic tree, questions and their immutable-once-used versions."""

from quizbank.models.imports import ImportJob
from quizbank.models.questions import (
    Difficulty,
    Language,
    OwnerKind,
    QType,
    Question,
    QuestionUsage,
    QuestionVersion,
    Status,
)
from quizbank.models.topics import Topic

__all__ = [
    "Difficulty",
    "ImportJob",
    "Language",
    "OwnerKind",
    "QType",
    "Question",
    "QuestionUsage",
    "QuestionVersion",
    "Status",
    "Topic",
]
