"""Leaderboard speed: live-board updates and reads versus SQL, and unit aggregation.

    .venv/bin/python bench/boards.py                 # 1,000 / 10,000 / 100,000 attempts
    .venv/bin/python bench/boards.py --attempts 10000
    .venv/bin/python bench/boards.py --push 500      # one board push to 500 sockets

Attempts are spread over 300 schools in 100 communes (one province), two counting rounds
(each student takes both). Uses ``DATABASE_URL`` and ``REDIS_URL`` when set: the data goes to
a database of its own (``<name>_bench_boards`` on PostgreSQL, a temporary file on SQLite),
dropped at the end, and Redis keys under the prefix ``hts-bench-boards`` (deleted at the end).

Per size it prints:
- ``update_us``: one answer-to-board update through the attempt hook (the user's entry
  read from the database, then the board update: round, scoped and contest boards);
- ``top10_rank_ms``: the top 10 plus one's own rank and neighbours from the live board;
- ``sql_top10_rank_ms``: the same read done by SQL (ORDER BY + RANK() window) on the stored
  attempts, and their ratio;
- ``aggregate_s``: a full school and commune aggregation of the contest year.
It ends with one JSON line per size. With ``--push N`` it times one board push to N viewers
of a round instead: every socket reading its own slice (as before the group hub) versus one
read for the group (``board_payloads``), with the queries of each.
"""

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scratch_db import own_database  # noqa: E402

SCHOOLS, COMMUNES, ROUNDS = 300, 100, 2


def setup_django():
    url, cleanup = own_database("boards")
    os.environ["DATABASE_URL"] = url
    os.environ["REDIS_PREFIX"] = "hts-bench-boards"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return cleanup


def build(attempts: int, rng: random.Random):
    """Bulk-insert the province, schools, students and their counted attempts."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from contest.models import Attempt, AttemptStatus, Contest, Round
    from contest.scoring import get_format
    from schools.models import Enrolment, Region, School, SchoolClass, Student

    User = get_user_model()
    students_n = max(1, attempts // ROUNDS)
    t0 = datetime.datetime(2026, 10, 10, 8, tzinfo=datetime.UTC)
    with transaction.atomic():
        prov = Region.objects.create(code="86", name="Tỉnh Thử", kind="province")
        communes = Region.objects.bulk_create(
            [Region(code=f"9{i:04d}", name=f"Xã {i}", kind="commune", parent=prov) for i in range(COMMUNES)]
        )
        schools = School.objects.bulk_create(
            [
                School(code=f"S{i:04d}", name=f"Trường {i}", levels=["thcs"], commune=communes[i % COMMUNES])
                for i in range(SCHOOLS)
            ]
        )
        Enrolment.objects.bulk_create(
            [Enrolment(school=s, level="thcs", grade=9, count=max(20, students_n // SCHOOLS * 2)) for s in schools]
        )
        classes = SchoolClass.objects.bulk_create(
            [SchoolClass(school=s, school_year="2026-2027", grade=9, name="9A") for s in schools]
        )
        users = User.objects.bulk_create(
            [User(username=f"b{i}", password="!") for i in range(students_n)]  # noqa: S106 - unusable, batch_size=5000
        )
        students = Student.objects.bulk_create(
            [
                Student(
                    user=u,
                    school=schools[i % SCHOOLS],
                    school_class=classes[i % SCHOOLS],
                    grade=9,
                    full_name=f"Học Sinh {i}",
                )
                for i, u in enumerate(users)
            ],
            batch_size=5000,
        )
        contest = Contest.objects.create(
            name="Bench",
            year=2026,
            region=prov,
            individual_prizes=[{"name": "Nhất", "count": 10}],
            prize_points={"Nhất": 10, "participation": 100},
        )
        config = get_format("contest").validate({})
        rounds = [
            Round.objects.create(
                contest=contest,
                name=f"Tuần {k}",
                opens_at=t0 + datetime.timedelta(days=7 * k),
                closes_at=t0 + datetime.timedelta(days=7 * k + 1),
                scoring_config=config,
            )
            for k in range(ROUNDS)
        ]
        rows = []
        for r in rounds:
            for s in students:
                used = rng.randint(60_000, 1_200_000)
                rows.append(
                    Attempt(
                        round=r,
                        user_id=s.user_id,
                        student=s,
                        started_at=r.opens_at,
                        deadline=r.opens_at + datetime.timedelta(minutes=20),
                        submitted_at=r.opens_at + datetime.timedelta(milliseconds=used),
                        closed_at=r.opens_at + datetime.timedelta(milliseconds=used),
                        status=AttemptStatus.SUBMITTED,
                        score=10.0 * rng.randint(0, 20),
                        correct_count=0,
                        time_used_ms=used,
                        counted=True,
                    )
                )
        Attempt.objects.bulk_create(rows[:attempts], batch_size=5000)
    return contest, rounds, students[: min(len(students), attempts)]


def bench(attempts: int) -> dict:
    from django.db import connection

    from contest.models import Attempt
    from leaderboard.aggregation import unit_ranking
    from leaderboard.boards import get_backend, sync
    from leaderboard.scopes import Filters, ranking_scope

    rng = random.Random(attempts)
    contest, rounds, _students = build(attempts, rng)
    backend = get_backend()
    started = time.perf_counter()
    sync.rebuild_contest(contest)
    rebuild_s = time.perf_counter() - started
    round_ = rounds[0]
    scope = sync.round_scope(round_.pk)

    # Answer -> board: change the score of stored attempts, then run the hook on each.
    samples = list(Attempt.objects.filter(round=round_).select_related("round")[: min(2000, attempts)])
    for a in samples:
        a.score = 10.0 * rng.randint(0, 20)
    Attempt.objects.bulk_update(samples, ["score"], batch_size=1000)
    t = time.perf_counter()
    for a in samples:
        sync.attempt_changed(a)
    update_us = (time.perf_counter() - t) / len(samples) * 1e6
    entries = backend.entries(scope)
    members = list(entries)
    t = time.perf_counter()
    for m in rng.sample(members, min(1000, len(members))):
        backend.set_entry(scope, sync.parent_of(round_), m, entries[m])
    board_only_us = (time.perf_counter() - t) / min(1000, len(members)) * 1e6

    reads = min(1000, len(members))
    picks = [rng.choice(members) for _ in range(reads)]
    t = time.perf_counter()
    for m in picks:
        backend.read(scope, "all", round_scope=True, top=10, member=m, around=2)
    top10_rank_ms = (time.perf_counter() - t) / reads * 1e3

    table = Attempt._meta.db_table
    top_sql = f"""SELECT user_id, score, time_used_ms FROM {table} WHERE round_id = %s AND counted
                  ORDER BY score DESC, time_used_ms ASC, submitted_at ASC LIMIT 10"""  # noqa: S608
    rank_sql = f"""SELECT rnk FROM (SELECT user_id, RANK() OVER (ORDER BY score DESC, time_used_ms ASC,
                  submitted_at ASC) AS rnk FROM {table} WHERE round_id = %s AND counted) ranked
                  WHERE user_id = %s"""  # noqa: S608
    sql_reads = 50
    t = time.perf_counter()
    with connection.cursor() as cur:
        for m in picks[:sql_reads]:
            cur.execute(top_sql, [round_.pk])
            cur.fetchall()
            cur.execute(rank_sql, [round_.pk, int(m)])
            cur.fetchall()
    sql_ms = (time.perf_counter() - t) / sql_reads * 1e3

    year = ranking_scope(contest)
    t = time.perf_counter()
    schools = unit_ranking(year, Filters(), unit="school", metric="top_k_mean")
    communes = unit_ranking(year, Filters(), unit="commune", metric="participation_rate")
    aggregate_s = time.perf_counter() - t
    assert len(schools) == SCHOOLS and len(communes) == COMMUNES
    backend.clear(sync.contest_scope(contest.pk))
    for r in rounds:
        backend.clear(sync.round_scope(r.pk))
    print(
        f"{attempts:>7} attempts ({backend.name}, {connection.vendor}): rebuild {rebuild_s:.2f} s; "
        f"update {update_us:.0f} µs via the hook ({board_only_us:.0f} µs board only); "
        f"top 10 + rank {top10_rank_ms:.3f} ms vs SQL {sql_ms:.2f} ms (×{sql_ms / top10_rank_ms:.0f}); "
        f"school + commune year aggregation {aggregate_s:.2f} s",
        flush=True,
    )
    return {
        "attempts": attempts,
        "update_us": round(update_us, 1),
        "top10_rank_ms": round(top10_rank_ms, 3),
        "sql_top10_rank_ms": round(sql_ms, 3),
        "aggregate_s": round(aggregate_s, 3),
    }


def bench_push(sockets: int, repeats: int = 5) -> dict:
    """One board push to ``sockets`` viewers of a round: each socket reading its own slice
    (as every board socket did before the group hub: the round again, then ``board_payload``)
    versus one ``board_payloads`` call for them all (the hub's build). Median of ``repeats``
    pushes after a warm-up, and the queries of one push."""
    import statistics

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from contest.models import Round
    from leaderboard.boards import get_backend, sync
    from leaderboard.selectors import Viewer, board_payload, board_payloads

    _contest, rounds, students = build(sockets * ROUNDS, random.Random(sockets))
    round_ = rounds[0]
    sync.rebuild_round(round_)
    users = list(get_user_model().objects.filter(pk__in=[s.user_id for s in students[:sockets]]))
    viewers = [Viewer(u, "all") for u in users]

    def per_socket():
        out = []
        for u in users:
            r = Round.objects.get(pk=round_.pk)  # each socket read its round again (refresh_from_db)
            out.append(board_payload(u, round_=r))
        return out

    def shared():
        return board_payloads(viewers, round_=Round.objects.get(pk=round_.pk), staff=False)

    figures = {"sockets": sockets, "backend": get_backend().name, "database": connection.vendor}
    for name, push in (("per_socket", per_socket), ("shared", shared)):
        payloads = push()  # warm-up: the sockets' users keep their student rows, as a socket's do
        assert len(payloads) == sockets and not payloads[0]["hidden"] and payloads[0]["me"] is not None
        with CaptureQueriesContext(connection) as ctx:
            push()
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            push()
            times.append(time.perf_counter() - t)
        figures[f"{name}_ms"] = round(statistics.median(times) * 1e3, 1)
        figures[f"{name}_queries"] = len(ctx.captured_queries)
    backend = get_backend()
    for r in rounds:
        backend.clear(sync.round_scope(r.pk))
    print(
        f"a push to {sockets} board sockets ({figures['backend']}, {figures['database']}): "
        f"each socket reading its own slice {figures['per_socket_ms']} ms, {figures['per_socket_queries']} queries; "
        f"one read for the group {figures['shared_ms']} ms, {figures['shared_queries']} queries",
        flush=True,
    )
    return figures


def reset_data():
    """Empty every table (TRUNCATE on PostgreSQL) before the next size."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attempts", type=int, help="run one size only")
    parser.add_argument(
        "--push", type=int, metavar="SOCKETS", help="only time one board push to SOCKETS viewers (e.g. 500)"
    )
    args = parser.parse_args()
    sizes = [args.attempts] if args.attempts else [1_000, 10_000, 100_000]
    cleanup = setup_django()
    results = []
    try:
        if args.push:
            results.append(bench_push(args.push))
            sizes = []
        for n in sizes:
            results.append(bench(n))
            reset_data()
    finally:
        cleanup()
    for r in results:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
