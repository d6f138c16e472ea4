"""Unit rankings: classes, schools, communes and provinces, computed in SQL.

For a round, a set of rounds or the year, a student's result is the sum of their counted
attempts (the best per round). Per unit:

- ``participants``: students with a result;
- ``participation_rate``: participants ÷ enrolled pupils who may play: the contest's target
  grades and the grades of its target levels, whatever level a school records them under
  (``_enrolment_condition``; a class: ÷ its verified pupils); None when nothing is enrolled;
- ``attempts``: closed attempts (retries included, disqualified ones not);
- ``mean_score``: the mean of the students' results;
- ``top_k_mean``: the sum of the k best results ÷ k (a unit with fewer than k participants
  counts the missing ones as 0, so a few strong accounts cannot carry a unit);
- ``prize_points``: the contest's points for each individual prize its students won, plus
  ``prize_points["participation"]`` × the participation rate.

Three grouped queries (results with a ``ROW_NUMBER()`` window for the top k, attempts,
enrolment) whatever the number of attempts; SQLite and PostgreSQL alike.
"""

from dataclasses import dataclass

from django.db import connection

from contest.models import Attempt, AttemptStatus
from core.text import vi_key
from leaderboard.rankings import allocate_individual, individual_ranking, prize_limit, prize_points
from leaderboard.scopes import Filters, RankingScope, level_grades
from schools.models import GRADE_LEVEL, Enrolment, Region, School, SchoolClass, Student

UNITS = ("class", "school", "commune", "province")
METRICS = ("participants", "participation_rate", "attempts", "mean_score", "top_k_mean", "prize_points")
DEFAULT_TOP_K = 5
PARTICIPATION_WEIGHT_KEY = "participation"

_UNIT_SQL = {
    "class": "s.school_class_id",
    "school": "s.school_id",
    "commune": "sc.commune_id",
    "province": "cm.parent_id",
}


@dataclass
class UnitRow:
    unit_id: int
    name: str
    detail: str  # the school of a class, the commune of a school, the province of a commune
    participants: int = 0
    enrolled: int = 0
    participation_rate: float | None = None
    attempts: int = 0
    total: float = 0.0
    mean_score: float | None = None
    top_k_mean: float = 0.0
    prize_points: float = 0.0
    rank: int = 0
    prize: str = ""

    def metric(self, name: str):
        return getattr(self, name)


def _tables() -> dict:
    return {
        "attempt": Attempt._meta.db_table,
        "student": Student._meta.db_table,
        "school": School._meta.db_table,
        "region": Region._meta.db_table,
        "enrolment": Enrolment._meta.db_table,
    }


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


def _where(scope: RankingScope, filters: Filters, *, students: bool = True) -> tuple[str, list]:
    """Schools in the contest's region, plus the filters (student grades only on students)."""
    region = scope.contest.region_id
    parts, params = ["(sc.commune_id = %s OR cm.parent_id = %s)"], [region, region]
    grades = filters.student_grades()
    if students and grades is not None:
        parts.append(f"s.grade IN ({_marks(len(grades))})" if grades else "1 = 0")
        params += grades
    if filters.commune_id is not None:
        parts.append("sc.commune_id = %s")
        params.append(filters.commune_id)
    return " AND ".join(parts), params


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _results(scope, filters, unit, k) -> dict[int, tuple[int, float, float]]:
    t = _tables()
    where, wparams = _where(scope, filters)
    ids = scope.round_ids or [0]
    sql = f"""
        WITH st AS (
            SELECT a.student_id AS sid, SUM(a.score) AS total, SUM(COALESCE(a.time_used_ms, 0)) AS tu
            FROM {t["attempt"]} a
            WHERE a.round_id IN ({_marks(len(ids))}) AND a.counted = %s AND a.disqualified = %s
              AND a.student_id IS NOT NULL
            GROUP BY a.student_id
        ), su AS (
            SELECT st.sid, st.total, st.tu, {_UNIT_SQL[unit]} AS unit
            FROM st
            JOIN {t["student"]} s ON s.id = st.sid
            JOIN {t["school"]} sc ON sc.id = s.school_id
            JOIN {t["region"]} cm ON cm.id = sc.commune_id
            WHERE {where}
        ), ranked AS (
            SELECT unit, total, ROW_NUMBER() OVER (PARTITION BY unit ORDER BY total DESC, tu ASC, sid ASC) AS pos
            FROM su WHERE unit IS NOT NULL
        )
        SELECT unit, COUNT(*), SUM(total), SUM(CASE WHEN pos <= %s THEN total ELSE 0 END)
        FROM ranked GROUP BY unit
    """  # noqa: S608 - table names come from the models, values are parameters
    params = [*ids, True, False, *wparams, k]
    return {u: (n, float(total), float(topk)) for u, n, total, topk in _rows(sql, params)}


def _attempts(scope, filters, unit) -> dict[int, int]:
    t = _tables()
    where, wparams = _where(scope, filters)
    ids = scope.round_ids or [0]
    sql = f"""
        SELECT {_UNIT_SQL[unit]} AS unit, COUNT(*)
        FROM {t["attempt"]} a
        JOIN {t["student"]} s ON s.id = a.student_id
        JOIN {t["school"]} sc ON sc.id = s.school_id
        JOIN {t["region"]} cm ON cm.id = sc.commune_id
        WHERE a.round_id IN ({_marks(len(ids))}) AND a.status IN (%s, %s) AND a.disqualified = %s AND {where}
        GROUP BY {_UNIT_SQL[unit]}
    """  # noqa: S608
    params = [*ids, AttemptStatus.SUBMITTED.value, AttemptStatus.EXPIRED.value, False, *wparams]
    return {u: n for u, n in _rows(sql, params) if u is not None}


def target_levels_grades(contest, filters: Filters) -> tuple[list[str] | None, list[int] | None]:
    """The enrolment that counts: the filter's level/grade, else the contest's audience."""
    levels = [filters.level] if filters.level else (list(contest.levels) or None)
    grades = list(contest.grades) or None
    if filters.level and grades is not None:
        grades = [g for g in grades if g in level_grades(filters.level)]
    if filters.grade is not None:
        grades = [filters.grade]
    return levels, grades


def _enrolment_condition(levels, grades) -> tuple[str, list]:
    """The enrolment rows of the pupils who may play, as ``contest.scope.student_in_audience``
    decides it: by grade, each grade belonging to its general-education level. So a GDTX
    centre's grade 10-12 rows (recorded at level ``gdtx``) count for a THPT contest, as its
    grade 10-12 pupils may play. A row without a grade counts by its own level, and only when
    the contest names no grades."""
    if levels is None and grades is None:
        return "", []
    playing = [
        g
        for g, level in GRADE_LEVEL.items()
        if (grades is None or g in grades) and (levels is None or str(level) in levels)
    ]
    by_grade = f"e.grade IN ({_marks(len(playing))})" if playing else "1 = 0"
    if grades is not None or not levels:
        return by_grade, playing
    return f"({by_grade} OR (e.grade IS NULL AND e.level IN ({_marks(len(levels))})))", [*playing, *levels]


def _enrolled(scope, filters, unit, class_ids) -> dict[int, int]:
    t = _tables()
    if unit == "class":
        if not class_ids:
            return {}
        grades = filters.student_grades()
        qs = Student.objects.filter(school_class_id__in=class_ids, status="verified")
        if grades is not None:
            qs = qs.filter(grade__in=grades)
        from django.db.models import Count

        return dict(qs.values_list("school_class_id").annotate(n=Count("pk")).values_list("school_class_id", "n"))
    where, wparams = _where(scope, filters, students=False)
    parts, params = [where], list(wparams)
    cond, cparams = _enrolment_condition(*target_levels_grades(scope.contest, filters))
    if cond:
        parts.append(cond)
        params += cparams
    unit_sql = _UNIT_SQL[unit].replace("s.school_id", "sc.id")
    sql = f"""
        SELECT {unit_sql} AS unit, SUM(e.count)
        FROM {t["enrolment"]} e
        JOIN {t["school"]} sc ON sc.id = e.school_id
        JOIN {t["region"]} cm ON cm.id = sc.commune_id
        WHERE {" AND ".join(parts)}
        GROUP BY {unit_sql}
    """  # noqa: S608
    return {u: int(n) for u, n in _rows(sql, params) if u is not None}


def _names(unit: str, ids) -> dict[int, tuple[str, str]]:
    ids = list(ids)
    if unit == "class":
        qs = SchoolClass.objects.filter(pk__in=ids).select_related("school")
        return {c.pk: (c.name, c.school.name) for c in qs}
    if unit == "school":
        qs = School.objects.filter(pk__in=ids).select_related("commune")
        return {s.pk: (s.name, s.commune.name) for s in qs}
    qs = Region.objects.filter(pk__in=ids).select_related("parent")
    return {r.pk: (r.name, r.parent.name if r.parent else "") for r in qs}


def _student_units(student_ids, unit) -> dict[int, int | None]:
    field = {
        "class": "school_class_id",
        "school": "school_id",
        "commune": "school__commune_id",
        "province": "school__commune__parent_id",
    }[unit]
    return dict(Student.objects.filter(pk__in=list(student_ids)).values_list("pk", field))


def unit_ranking(
    scope: RankingScope,
    filters: Filters,
    *,
    unit: str,
    metric: str = "participants",
    top_k: int = DEFAULT_TOP_K,
    prizes: bool = True,
) -> list[UnitRow]:
    """Every unit of the contest's region with participants or enrolled pupils, ranked by
    ``metric`` (higher first, ties share a rank; units without a value come last)."""
    if unit not in UNITS or metric not in METRICS:
        raise ValueError(f"unknown unit {unit!r} or metric {metric!r}")
    contest = scope.contest
    results = _results(scope, filters, unit, top_k)
    attempts = _attempts(scope, filters, unit)
    enrolled = _enrolled(scope, filters, unit, list(results))
    weight = float((contest.prize_points or {}).get(PARTICIPATION_WEIGHT_KEY, 0) or 0)
    ids = set(results) | {u for u, n in enrolled.items() if n > 0}
    names = _names(unit, ids)
    rows = []
    for uid in ids:
        n, total, topk = results.get(uid, (0, 0.0, 0.0))
        row = UnitRow(unit_id=uid, name=names.get(uid, ("?", ""))[0], detail=names.get(uid, ("?", ""))[1])
        row.participants, row.total = n, round(total, 4)
        row.enrolled = enrolled.get(uid, 0)
        row.participation_rate = round(n / row.enrolled, 6) if row.enrolled else None
        row.attempts = attempts.get(uid, 0)
        row.mean_score = round(total / n, 4) if n else None
        row.top_k_mean = round(topk / top_k, 4) if top_k else 0.0
        row.prize_points = round(weight * (row.participation_rate or 0), 4)
        rows.append(row)
    if prizes and (contest.prize_points or {}):
        tiers = contest.individual_prizes or []
        winners = individual_ranking(scope, filters, max_rank=prize_limit(tiers)) if tiers else []
        allocate_individual(winners, contest)
        owner = _student_units([w.student_id for w in winners if w.prize], unit)
        by_id = {r.unit_id: r for r in rows}
        for w in winners:
            unit_id = owner.get(w.student_id)
            if w.prize and unit_id in by_id:
                by_id[unit_id].prize_points = round(by_id[unit_id].prize_points + prize_points(contest, w.prize), 4)
    return rank_units(rows, metric)


def rank_units(rows: list[UnitRow], metric: str) -> list[UnitRow]:
    def value(r):
        v = r.metric(metric)
        return float("-inf") if v is None else v

    rows.sort(key=lambda r: vi_key(r.name))
    rows.sort(key=value, reverse=True)
    previous, rank = object(), 0
    for position, row in enumerate(rows, start=1):
        v = row.metric(metric)
        if v != previous:
            rank, previous = position, v
        row.rank = rank
    return rows
