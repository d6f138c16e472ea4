"""Every write of the contest app (keyword-only arguments, one transaction each)."""

from contest.services.answers import SaveRequest, SaveResult, answer_save, answers_save_batch
from contest.services.attempts import (
    attempt_close_if_due,
    attempt_predict,
    attempt_running,
    attempt_start,
    attempt_submit,
    attempts_close_due,
)
from contest.services.closing import CloseResult, round_close_now
from contest.services.records import (
    AnswerRow,
    UnownedAttempt,
    answers_set_grades,
    answers_write,
    attempts_create_unowned,
    attempts_set_totals,
    round_close_ranked,
)
from contest.services.setup import (
    contest_create,
    contest_update,
    round_create,
    round_set_questions,
    round_update,
)
from contest.services.standings import (
    attempt_disqualify,
    recount_user,
    rescore_round,
    round_finalize,
    round_finalize_if_due,
    rounds_finalize_due,
)

__all__ = [
    "AnswerRow",
    "CloseResult",
    "SaveRequest",
    "SaveResult",
    "UnownedAttempt",
    "answer_save",
    "answers_save_batch",
    "answers_set_grades",
    "answers_write",
    "attempt_close_if_due",
    "attempt_disqualify",
    "attempt_predict",
    "attempt_running",
    "attempt_start",
    "attempt_submit",
    "attempts_close_due",
    "attempts_create_unowned",
    "attempts_set_totals",
    "contest_create",
    "contest_update",
    "recount_user",
    "rescore_round",
    "round_close_now",
    "round_close_ranked",
    "round_create",
    "round_finalize",
    "round_finalize_if_due",
    "round_set_questions",
    "round_update",
    "rounds_finalize_due",
]
