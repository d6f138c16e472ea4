"""The statements of a batch of answer saves, in plain SQL.

Why not the ORM: ``bulk_create(update_conflicts=...)`` and ``bulk_update`` build an expression
tree per row and field (``bulk_update`` a CASE per field); profiled on a 200-save batch they
cost about 1 ms per answer, more than everything else in the write path.

Why two dialects: on PostgreSQL each statement takes a fixed number of parameters, so its SQL
text never changes with the batch size. psycopg (client-side binding, as Django uses it)
parses the SQL text of every new statement with a regular expression; a multi-row VALUES list
with thousands of placeholders cost ~30 ms per batch to parse, and a text that varies with the
batch size is never cached. Each parameter is ONE string: an array literal of numbers or
timestamps (``'{1,2,3}'``), or a JSON array of rows unpacked by ``jsonb_array_elements``.
psycopg's list adapter quotes a Python list element by element in Python, which was a
quarter of the batch writer's time; ``str.join`` and ``json.dumps`` run in C. SQLite has no
arrays; its driver's placeholders are cheap, so it gets multi-row VALUES lists.

Table names come from the models; values are always passed as parameters, never formatted into
the SQL (hence the S608 exemptions).
"""

import datetime
import json

from django.db import connection
from django.utils.dateparse import parse_datetime

from contest.models import Answer, AnswerLog, Attempt
from contest.policies import AnswerPolicy

_ROWS_PER_STATEMENT = 400  # SQLite allows 32,766 parameters; 7 per row


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _dt(value):
    return connection.ops.adapt_datetimefield_value(value)


def _array(values) -> str:
    """A PostgreSQL array literal of numbers, ISO timestamps or None: nothing in them needs
    quoting (no spaces, commas, braces, quotes or backslashes)."""
    return (
        "{"
        + ",".join("NULL" if v is None else v.isoformat() if hasattr(v, "isoformat") else repr(v) for v in values)
        + "}"
    )


def _ints(values) -> str:
    return "{" + ",".join(map(str, map(int, values))) + "}"


def _json_rows(rows) -> str:
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def _chunks(rows: list, size: int = _ROWS_PER_STATEMENT):
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _from_db_dt(value) -> datetime.datetime:
    if isinstance(value, str):  # SQLite keeps UTC as text
        value = parse_datetime(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def _epoch(column: str) -> str:
    """Timestamps travel as epoch seconds on PostgreSQL: Django's timestamptz loader is Python
    code (~9 µs a value), and a batch reads four per answer."""
    return f"extract(epoch from {column})::float8" if _pg() else column


def _from_epoch_or_db(value):
    if value is None:
        return None
    if isinstance(value, float):
        return datetime.datetime.fromtimestamp(value, datetime.UTC)
    return _from_db_dt(value)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def lock_attempts(ids: list[int]) -> list[tuple]:
    """Lock and read the attempts (FOR NO KEY UPDATE on PostgreSQL; SQLite's write lock is the
    whole database) in id order: (id, user_id, round_id, status, started_at, deadline,
    question_order, score, correct_count, answered_count, last_answer_at)."""
    if not ids:
        return []
    table = Attempt._meta.db_table
    columns = (
        f"id, user_id, round_id, status, {_epoch('started_at')}, {_epoch('deadline')}, question_order, score, "
        f"correct_count, answered_count, {_epoch('last_answer_at')}"
    )
    with connection.cursor() as cursor:
        if _pg():
            cursor.execute(
                f"SELECT {columns} FROM {table} WHERE id = ANY(%s::bigint[]) ORDER BY id FOR NO KEY UPDATE",  # noqa: S608
                [_ints(ids)],
            )
        else:
            cursor.execute(
                f"SELECT {columns} FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))}) ORDER BY id",  # noqa: S608
                list(ids),
            )
        return [
            (
                pk, user_id, round_id, status, _from_epoch_or_db(started), _from_epoch_or_db(deadline),
                _json(order), score, correct, answered, _from_epoch_or_db(last),
            )
            for (pk, user_id, round_id, status, started, deadline, order, score, correct, answered, last)
            in cursor.fetchall()
        ]  # fmt: skip


def stored_answers(*, pairs: list[tuple[int, int]], attempt_ids: set[int]) -> list[tuple]:
    """The stored answers of the given (attempt, question) pairs, and every answer of
    ``attempt_ids``: (attempt_id, version_id, response, correct, points, received_at, fraction).

    A batch reads only the rows it may change, not every answer of its attempts, each through
    the unique index (a join on the pairs; an OR of both conditions would scan the table).
    """
    table = Answer._meta.db_table
    columns = f"attempt_id, question_version_id, response, correct, points, {_epoch('received_at')}, fraction"
    fetched = []
    with connection.cursor() as cursor:
        if pairs and _pg():
            cursor.execute(
                f"SELECT {columns} FROM {table} JOIN unnest(%s::bigint[], %s::bigint[]) AS p(aid, vid) "  # noqa: S608
                "ON attempt_id = p.aid AND question_version_id = p.vid",
                [_ints(p[0] for p in pairs), _ints(p[1] for p in pairs)],
            )
            fetched += cursor.fetchall()
        elif pairs:
            for chunk in _chunks(pairs):
                values = ", ".join(["(%s, %s)"] * len(chunk))
                cursor.execute(
                    f"WITH p(aid, vid) AS (VALUES {values}) SELECT {columns} FROM p JOIN {table} "  # noqa: S608
                    "ON attempt_id = p.aid AND question_version_id = p.vid",
                    [x for pair in chunk for x in pair],
                )
                fetched += cursor.fetchall()
        if attempt_ids:
            ids = sorted(attempt_ids)
            if _pg():
                cursor.execute(f"SELECT {columns} FROM {table} WHERE attempt_id = ANY(%s::bigint[])", [_ints(ids)])  # noqa: S608
            else:
                cursor.execute(
                    f"SELECT {columns} FROM {table} WHERE attempt_id IN ({', '.join(['%s'] * len(ids))})",  # noqa: S608
                    ids,
                )
            fetched += cursor.fetchall()
    return [
        (aid, vid, _json(resp), bool(ok), pts, _from_epoch_or_db(at), frac)
        for aid, vid, resp, ok, pts, at, frac in fetched
    ]


_CONFLICT_TAIL = {
    AnswerPolicy.LAST_WINS: (
        "ON CONFLICT (attempt_id, question_version_id) DO UPDATE SET response = excluded.response, "
        "received_at = excluded.received_at, correct = excluded.correct, fraction = excluded.fraction, "
        "points = excluded.points"
    ),
    AnswerPolicy.FIRST_FINAL: "ON CONFLICT (attempt_id, question_version_id) DO NOTHING",
}


def write_changes(rows: list[tuple], logs: list[tuple], attempts: list, *, policy: AnswerPolicy) -> None:
    """Store a batch's changes: its answers, their log lines and its attempts' totals.

    ``rows``: (attempt_id, version_id, response, received_at, correct, fraction, points), one
    per (attempt, question): the unique constraint makes an existing row an update
    (``AnswerPolicy.LAST_WINS``) or leaves it as it is (``AnswerPolicy.FIRST_FINAL``).
    ``logs``: (attempt_id, version_id, response, received_at, source), appended in order.
    ``attempts``: objects with pk, score, correct_count, answered_count and last_answer_at.

    On PostgreSQL it is ONE statement (two data-modifying CTEs and an UPDATE; each part runs
    to completion whether or not anything reads it), so the writes of a batch cost one round
    trip to the server instead of three. SQLite runs the three parts in turn.
    """
    if not rows and not logs:
        return
    tail = _CONFLICT_TAIL[policy]
    answer_columns = "attempt_id, question_version_id, response, received_at, correct, fraction, points"
    log_columns = "attempt_id, question_version_id, response, received_at, source"
    answer_table, log_table, attempt_table = Answer._meta.db_table, AnswerLog._meta.db_table, Attempt._meta.db_table
    with connection.cursor() as cursor:
        if _pg():
            cursor.execute(
                f"WITH saved AS (INSERT INTO {answer_table} ({answer_columns}) "  # noqa: S608
                "SELECT (e->>0)::bigint, (e->>1)::bigint, e->2, (e->>3)::timestamptz, (e->>4)::boolean, "
                f"(e->>5)::float8, (e->>6)::float8 FROM jsonb_array_elements(%s::jsonb) AS e {tail}), "
                f"logged AS (INSERT INTO {log_table} ({log_columns}) "
                "SELECT (e->>0)::bigint, (e->>1)::bigint, e->2, (e->>3)::timestamptz, e->>4 "
                "FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY n) "
                f"UPDATE {attempt_table} AS t SET score = v.score, correct_count = v.correct, "
                "answered_count = v.answered, last_answer_at = v.last "
                "FROM unnest(%s::bigint[], %s::float8[], %s::integer[], %s::integer[], %s::timestamptz[]) "
                "AS v(id, score, correct, answered, last) WHERE t.id = v.id",
                [
                    _json_rows(
                        [
                            (a, v, resp, at.isoformat(), bool(ok), float(frac), float(pts))
                            for a, v, resp, at, ok, frac, pts in rows
                        ]
                    ),
                    _json_rows([(a, v, resp, at.isoformat(), source) for a, v, resp, at, source in logs]),
                    _ints(a.pk for a in attempts),
                    _array(float(a.score) for a in attempts),
                    _ints(a.correct_count for a in attempts),
                    _ints(a.answered_count for a in attempts),
                    _array(a.last_answer_at for a in attempts),
                ],
            )
            return
        for chunk in _chunks(rows):
            params = []
            for attempt_id, version_id, response, received_at, correct, fraction, points in chunk:
                params += [attempt_id, version_id, json.dumps(response), _dt(received_at), correct, fraction, points]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(f"INSERT INTO {answer_table} ({answer_columns}) VALUES {values} {tail}", params)  # noqa: S608
        for chunk in _chunks(logs):
            params = []
            for attempt_id, version_id, response, received_at, source in chunk:
                params += [attempt_id, version_id, json.dumps(response), _dt(received_at), source]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(f"INSERT INTO {log_table} ({log_columns}) VALUES {values}", params)  # noqa: S608
        if not attempts:
            return  # the caller keeps the totals (a live game stores them at each close)
        cursor.executemany(
            f"UPDATE {attempt_table} SET score = %s, correct_count = %s, answered_count = %s, "  # noqa: S608
            "last_answer_at = %s WHERE id = %s",
            [(a.score, a.correct_count, a.answered_count, _dt(a.last_answer_at), a.pk) for a in attempts],
        )
