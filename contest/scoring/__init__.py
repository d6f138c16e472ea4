"""Scoring formats: plug-ins registered by name, each validating its own configuration.

Importing this package registers the built-in formats (``accuracy``, ``speed``, ``contest``).
Another app adds one with ``@register`` on a ``ScoringFormat`` subclass.
"""

from contest.scoring import accuracy, contest, speed  # noqa: F401 - registers the formats
from contest.scoring.base import AnswerContext, ConfigField, ScoringFormat, Standing
from contest.scoring.ranker import ranks
from contest.scoring.registry import available, format_for, get_format, register

__all__ = [
    "AnswerContext",
    "ConfigField",
    "ScoringFormat",
    "Standing",
    "available",
    "format_for",
    "get_format",
    "ranks",
    "register",
]
