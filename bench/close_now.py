""" "Đóng vòng ngay" speed: close an open round with N running attempts and finalize it.

    .venv/bin/python bench/close_now.py                   # 200 / 2,000 attempts
    .venv/bin/python bench/close_now.py --attempts 2000 5000

Each attempt has 10 questions, 6 of them answered (stored answers, as the answer path leaves
them). The bench calls ``contest.services.round_close_now`` (the page's and the API's service)
and times it: the close of every running attempt, the final standings, the question statistics,
and, after the commit, the live boards and the one ``round.closed`` message. Uses
``DATABASE_URL`` and ``REDIS_URL`` when set: the data goes to a database of its own
(``<name>_bench_close`` on PostgreSQL, a temporary file on SQLite), dropped at the end, and Redis
keys under the prefix ``hts-bench-close``. Prints one line per size, then one JSON line.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scratch_db import own_database  # noqa: E402

QUESTIONS, ANSWERED = 10, 6


def setup_django():
    url, cleanup = own_database("close")
    os.environ["DATABASE_URL"] = url
    os.environ["REDIS_PREFIX"] = "hts-bench-close"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return cleanup


def build(n: int, tag: str, questions: list) -> int:
    """An open round with ``n`` running attempts, each with ``ANSWERED`` saved answers."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from contest import services
    from contest.models import Answer, Attempt, Reveal
    from schools.models import Region, School, Student

    User = get_user_model()
    admin = User.objects.filter(username="bench-close-admin").first() or User.objects.create_superuser(
        "bench-close-admin", password=None
    )
    province, _ = Region.objects.get_or_create(code="99", defaults={"name": "Tỉnh Bench", "kind": "province"})
    commune, _ = Region.objects.get_or_create(
        code="99990", defaults={"name": "Xã Bench", "kind": "commune", "parent": province}
    )
    school = School.objects.create(code=f"BENCH-{tag}", name="Trường THCS Bench", levels=["thcs"], commune=commune)
    unusable = "!"  # Django's mark of an unusable password
    users = User.objects.bulk_create([User(username=f"bench-{tag}-{i}", password=unusable) for i in range(n)])
    students = Student.objects.bulk_create(
        [Student(user=u, school=school, grade=9, full_name=f"Học sinh {i}") for i, u in enumerate(users)]
    )
    now = timezone.now()
    contest = services.contest_create(user=admin, name=f"Bench {tag}", year=now.year, region=province)
    round_ = services.round_create(
        user=admin,
        contest=contest,
        name=f"Bench {tag}",
        opens_at=now - datetime.timedelta(minutes=30),
        closes_at=now + datetime.timedelta(hours=3),
        duration_s=3600,
        attempts_policy="one",
        selection="fixed",
        scoring_format="contest",
        reveal_during=Reveal.NOTHING,
        reveal_after_attempt=Reveal.SCORE,
        reveal_after_close=Reveal.EXPLANATIONS,
        prediction_kind="all_correct",
    )
    services.round_set_questions(user=admin, round_=round_, question_ids=[q.pk for q in questions])
    versions = [rq.question_version for rq in round_.round_questions.select_related("question_version")]
    order = [v.pk for v in versions]
    started = now - datetime.timedelta(minutes=10)
    attempts = Attempt.objects.bulk_create(
        [
            Attempt(
                round=round_, user=u, student=s, question_order=order, started_at=started,
                deadline=started + datetime.timedelta(hours=1), prediction=i % 50,
                score=10.0 * ANSWERED, correct_count=ANSWERED, answered_count=ANSWERED,
            )
            for i, (u, s) in enumerate(zip(users, students, strict=True))
        ],
        batch_size=1000,
    )  # fmt: skip
    Answer.objects.bulk_create(
        [
            Answer(
                attempt=a, question_version=v, response={"choice": "a"}, correct=True, fraction=1.0, points=10.0,
                received_at=started + datetime.timedelta(seconds=30 * (k + 1)),
            )
            for a in attempts
            for k, v in enumerate(versions[:ANSWERED])
        ],
        batch_size=2000,
    )  # fmt: skip
    return round_.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, nargs="+", default=[200, 2000])
    args = parser.parse_args()
    cleanup = setup_django()
    try:
        from django.db import connection

        from contest import services
        from contest.models import Attempt
        from quizbank.models import OwnerKind
        from quizbank.scope import Bank
        from quizbank.services import question_create

        bank = Bank("official", "official", OwnerKind.OFFICIAL)
        questions = [
            question_create(
                user=None, bank=bank, status="approved", allow_duplicate=True, external_key=f"bench-close-{i}",
                content={
                    "qtype": "single", "stem": f"Câu hỏi bench số {i}?",
                    "choices": [{"id": c, "text": f"Phương án {c}", "correct": c == "a"} for c in "abcd"],
                },
            )
            for i in range(QUESTIONS)
        ]  # fmt: skip
        print(f"database: {connection.vendor}; redis: {'yes' if os.environ.get('REDIS_URL') else 'no'}")
        results = []
        for n in args.attempts:
            round_id = build(n, f"n{n}", questions)
            t0 = time.perf_counter()
            result = services.round_close_now(round_id=round_id)
            seconds = time.perf_counter() - t0
            assert result.attempts_ended == n
            assert Attempt.objects.filter(round_id=round_id, status="expired", rank__isnull=False).count() == n
            row = {"attempts": n, "close_s": round(seconds, 3), "per_attempt_ms": round(1000 * seconds / n, 3)}
            print(f"{n:>6} running attempts: closed and finalized in {seconds:.3f} s ({row['per_attempt_ms']} ms each)")
            results.append(row)
        print(json.dumps({"bench": "close_now", "database": connection.vendor, "results": results}))
    finally:
        cleanup()


if __name__ == "__main__":
    main()
