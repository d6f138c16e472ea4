"""The write API other apps use on the contest's tables (``Answer``, ``AnswerLog``, ``Attempt``).

A live game keeps its own clock and rules (``live.services``) but stores its players'
answers, totals and final standings in contest rows, so that boards, exports, certificates and
re-scoring read one set of tables. Only the contest app writes them: a live game calls these
functions inside its own transaction (each joins it, with no savepoint of its own), and holds
the lock its docstring names.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from contest.models import Answer, Attempt, AttemptStatus, Round
from contest.policies import AnswerPolicy
from contest.services import answer_sql
from core import pagecache


@dataclass(frozen=True)
class AnswerRow:
    """One graded answer to store (server time of receipt, never a client time)."""

    attempt_id: int
    version_id: int
    response: dict
    received_at: datetime.datetime
    correct: bool
    fraction: float
    points: float


def answers_write(*, rows: list[AnswerRow], policy: AnswerPolicy, source: str) -> None:
    """Store graded answers, one ``AnswerLog`` line each, in one statement where it can.

    ``policy`` decides what an existing (attempt, question) row becomes: ``LAST_WINS``
    replaces it, ``FIRST_FINAL`` keeps it (a duplicate racing in from another worker then
    changes nothing but the log, which records every answer received). The caller has
    checked the clock and the attempt and holds the lock that serialises the attempts'
    answers (a live game's row lock). Totals are not touched: see ``attempts_set_totals``.
    """
    if not rows:
        return
    answers = [(r.attempt_id, r.version_id, r.response, r.received_at, r.correct, r.fraction, r.points) for r in rows]
    logs = [(r.attempt_id, r.version_id, r.response, r.received_at, source) for r in rows]
    with transaction.atomic(savepoint=False):
        answer_sql.write_changes(answers, logs, [], policy=policy)


def answers_set_grades(*, answers: list[Answer]) -> None:
    """Store re-graded ``correct``/``fraction``/``points`` of existing answers (a re-score).
    The response and its time are never changed here."""
    with transaction.atomic(savepoint=False):
        Answer.objects.bulk_update(answers, ["correct", "fraction", "points"], batch_size=500)


@dataclass(frozen=True)
class UnownedAttempt:
    """An attempt opened for a live-game player: it carries the pupil (for boards) but no
    user, so the window-round attempt API cannot open it (it would show the whole paper at
    once and take answers outside the game's clock)."""

    round_id: int
    student: object  # schools.Student or None
    question_order: list
    choice_orders: dict
    started_at: datetime.datetime
    is_demo: bool


def attempts_create_unowned(*, specs: list[UnownedAttempt]) -> list[Attempt]:
    """Insert the attempts in one statement; returns them, saved, in the order given."""
    with transaction.atomic(savepoint=False):
        return Attempt.objects.bulk_create(
            [
                Attempt(
                    round_id=s.round_id,
                    user=None,
                    student=s.student,
                    question_order=s.question_order,
                    choice_orders=s.choice_orders,
                    started_at=s.started_at,
                    deadline=None,
                    is_demo=s.is_demo,
                )
                for s in specs
            ]
        )


def _update_attempts(fields: list[str], rows: list[tuple]) -> None:
    """UPDATE many attempts in one ``executemany``: each row is (a value per field..., id).
    ``bulk_update`` builds a CASE per field and row, which takes seconds for thousands."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(Attempt._meta.db_table)
    columns = ", ".join(f"{quote(Attempt._meta.get_field(f).column)} = %s" for f in fields)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {columns} WHERE id = %s", rows)  # noqa: S608 - names from the model


def attempts_update_many(*, fields: list[str], rows: list[tuple]) -> None:
    """UPDATE many attempts' ``fields`` at once: each row is (a value per field..., id)."""
    _update_attempts(fields, rows)


def attempts_set_totals(*, rows: Iterable[tuple], ranked: bool = False) -> None:
    """Store attempts' totals: each row is (score, correct_count, answered_count, id), or with
    ``ranked`` (score, correct_count, answered_count, rank, time_used_ms, id). The totals must
    be those of the attempts' stored answers (the caller computed them under its lock)."""
    fields = ["score", "correct_count", "answered_count"]
    if ranked:
        fields += ["rank", "time_used_ms"]
    _update_attempts(fields, list(rows))


def round_close_ranked(
    *, round_: Round, standings: dict[int, tuple[int, int | None]], now: datetime.datetime
) -> list[Attempt]:
    """Close every attempt of ``round_`` with its final standing and mark the round finalized.

    ``standings`` maps an attempt id to (rank, time used in ms): those attempts are submitted
    (and counted when the round counts); any other attempt of the round expired. Returns the
    attempts as stored, for the followers (``contest.hooks``).
    """
    attempts = list(Attempt.objects.filter(round_id=round_.pk))
    updates = []
    for attempt in attempts:
        standing = standings.get(attempt.pk)
        attempt.status = AttemptStatus.SUBMITTED if standing is not None else AttemptStatus.EXPIRED
        attempt.submitted_at = attempt.closed_at = now
        attempt.rank, attempt.time_used_ms = standing if standing is not None else (None, None)
        attempt.counted = standing is not None and round_.counts
        updates.append((attempt.status, now, now, attempt.time_used_ms, attempt.rank, attempt.counted, attempt.pk))
    with transaction.atomic(savepoint=False):
        _update_attempts(["status", "submitted_at", "closed_at", "time_used_ms", "rank", "counted"], updates)
        Round.objects.filter(pk=round_.pk).update(finalized_at=now)
        pagecache.bump_on_commit(pagecache.ROUNDS)
    return attempts
