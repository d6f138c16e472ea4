"""Every write of the question bank. Keyword-only arguments, one transaction each."""

from quizbank.services.imports import import_cancel, import_confirm, import_preview
from quizbank.services.questions import (
    find_duplicates,
    question_copy,
    question_create,
    question_delete,
    question_propose_official,
    question_update,
)
from quizbank.services.rounds import stats_record, version_for_round
from quizbank.services.workflow import bulk_action, question_set_status

__all__ = [
    "bulk_action",
    "find_duplicates",
    "import_cancel",
    "import_confirm",
    "import_preview",
    "question_copy",
    "question_create",
    "question_delete",
    "question_propose_official",
    "question_set_status",
    "question_update",
    "stats_record",
    "version_for_round",
]
