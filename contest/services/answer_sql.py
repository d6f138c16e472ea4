"""The statements of a batch of answer saves, in plain SQL.

The ORM's ``bulk_create(update_conflicts=...)`` and ``bulk_update`` build an expression tree per
row and field (``bulk_update`` a CASE per field); profiled on a 200-save batch they cost about
1 ms per answer, more than everything else in the write path. These helpers write the same
rows with one multi-row INSERT ... ON CONFLICT, one multi-row INSERT and one executemany
UPDATE, on PostgreSQL and SQLite alike. Table names come from the models; values are always
passed as parameters, never formatted into the SQL (hence the S608 exemptions).
"""

import datetime
import json

from django.db import connection
from django.utils.dateparse import parse_datetime

from contest.models import Answer, AnswerLog, Attempt

_ROWS_PER_STATEMENT = 400  # SQLite allows 32,766 parameters; 7 per row


def _json_placeholder() -> str:
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"


def _dt(value):
    return connection.ops.adapt_datetimefield_value(value)


def _chunks(rows: list, size: int = _ROWS_PER_STATEMENT):
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _from_db_dt(value) -> datetime.datetime:
    if isinstance(value, str):  # SQLite keeps UTC as text
        value = parse_datetime(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def lock_attempts(ids: list[int]) -> list[tuple]:
    """Lock and read the attempts (FOR NO KEY UPDATE on PostgreSQL; SQLite's write lock is the
    whole database) in id order: (id, user_id, round_id, status, started_at, deadline,
    question_order, score, correct_count, answered_count, last_answer_at)."""
    if not ids:
        return []
    table = Attempt._meta.db_table
    lock = " FOR NO KEY UPDATE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, user_id, round_id, status, started_at, deadline, question_order, score, correct_count, "  # noqa: S608
            f"answered_count, last_answer_at FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))}) "
            f"ORDER BY id{lock}",
            list(ids),
        )
        return [
            (
                pk, user_id, round_id, status, _from_db_dt(started), _from_db_dt(deadline) if deadline else None,
                json.loads(order) if isinstance(order, str) else order, score, correct, answered,
                _from_db_dt(last) if last else None,
            )
            for (pk, user_id, round_id, status, started, deadline, order, score, correct, answered, last)
            in cursor.fetchall()
        ]  # fmt: skip


def stored_answers(*, pairs: list[tuple[int, int]], attempt_ids: set[int]) -> list[tuple]:
    """The stored answers of the given (attempt, question) pairs, and every answer of
    ``attempt_ids``: (attempt_id, version_id, response, correct, points, received_at, fraction).

    A row-value IN over the pairs (PostgreSQL and SQLite both have it), so a batch reads only
    the rows it may change, not every answer of its attempts.
    """
    table = Answer._meta.db_table
    clauses, params = [], []
    for chunk in _chunks(pairs):
        clauses.append(f"(attempt_id, question_version_id) IN (VALUES {', '.join(['(%s, %s)'] * len(chunk))})")
        params += [x for pair in chunk for x in pair]
    if attempt_ids:
        clauses.append(f"attempt_id IN ({', '.join(['%s'] * len(attempt_ids))})")
        params += sorted(attempt_ids)
    if not clauses:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attempt_id, question_version_id, response, correct, points, received_at, fraction "  # noqa: S608 - as below
            f"FROM {table} WHERE {' OR '.join(clauses)}",
            params,
        )
        return [
            (aid, vid, json.loads(resp) if isinstance(resp, str) else resp, bool(ok), pts, _from_db_dt(at), frac)
            for aid, vid, resp, ok, pts, at, frac in cursor.fetchall()
        ]


def upsert_answers(rows: list[tuple]) -> None:
    """``rows``: (attempt_id, version_id, response, received_at, correct, fraction, points).

    One row per (attempt, question) by the unique constraint: a row that exists is updated.
    """
    table = Answer._meta.db_table
    one = f"(%s, %s, {_json_placeholder()}, %s, %s, %s, %s)"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            params = []
            for attempt_id, version_id, response, received_at, correct, fraction, points in chunk:
                params += [attempt_id, version_id, json.dumps(response), _dt(received_at), correct, fraction, points]
            cursor.execute(
                f"INSERT INTO {table} (attempt_id, question_version_id, response, received_at, correct, fraction, "  # noqa: S608
                f"points) VALUES {', '.join([one] * len(chunk))} "
                "ON CONFLICT (attempt_id, question_version_id) DO UPDATE SET response = excluded.response, "
                "received_at = excluded.received_at, correct = excluded.correct, fraction = excluded.fraction, "
                "points = excluded.points",
                params,
            )


def insert_log(rows: list[tuple]) -> None:
    """``rows``: (attempt_id, version_id, response, received_at, source). Append only."""
    table = AnswerLog._meta.db_table
    one = f"(%s, %s, {_json_placeholder()}, %s, %s)"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            params = []
            for attempt_id, version_id, response, received_at, source in chunk:
                params += [attempt_id, version_id, json.dumps(response), _dt(received_at), source]
            cursor.execute(
                f"INSERT INTO {table} (attempt_id, question_version_id, response, received_at, source) "  # noqa: S608 - as above
                f"VALUES {', '.join([one] * len(chunk))}",
                params,
            )


def update_totals(attempts: list) -> None:
    """Store score, correct_count, answered_count and last_answer_at of each attempt."""
    table = Attempt._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET score = %s, correct_count = %s, answered_count = %s, last_answer_at = %s "  # noqa: S608
            "WHERE id = %s",
            [(a.score, a.correct_count, a.answered_count, _dt(a.last_answer_at), a.pk) for a in attempts],
        )
