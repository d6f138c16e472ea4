"""Answer write path benchmark: N websocket students saving answers against a real Daphne.

    .venv/bin/python bench/answers.py --students 2000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoithiso .venv/bin/python bench/answers.py --students 2000

Three servers, each measured in the same run with the same load client and fresh connections:

1. ours: ``daphne config.asgi:application``. Students connect to ``/ws/contest/rounds/<id>/``,
   start their attempts over the socket, then save answers as fast as the server acknowledges
   (one save in flight per student). Saves go through the group-commit batcher.
1b. scores: the same server and students on a second round whose reveal policy shows the score
   during the attempt (``reveal_during=Reveal.SCORE``): every save also moves the student on the live
   boards (``leaderboard.boards.queue``, off the answer writer thread).
2. baseline: ``daphne bench.answers_baseline:application``, a plain Channels consumer doing one
   transaction per answer through the same service: the ratio to beat.
3. bare: a ``websockets`` server answering each save without Django or a database: the limit.

For each it reports acknowledged answers per second, ack p50/p99 and the server process's CPU
per answer (from /proc, all threads). The server is pinned to CPU 0 and the client to CPU 1
when the machine has two. The last line is one JSON object. Everything runs on 127.0.0.1 and
every phase is bounded in time. Uses ``DATABASE_URL`` when set (its bench rows are removed at
the end), else a fresh SQLite file in var/; ``REDIS_URL`` when set selects the Redis layer.
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = sys.executable
DAPHNE = str(Path(PY).with_name("daphne"))
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime, all threads


def pin(pid: int, cpu: int) -> None:
    if len(os.sched_getaffinity(0)) >= 2:
        os.sched_setaffinity(pid, {cpu})


def setup_django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


def seed(students: int, questions: int, tag: str) -> dict:
    """Bench data through the real services (bulk where a service would be slow)."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    from contest import services
    from contest.models import Reveal
    from quizbank.models import OwnerKind
    from quizbank.services import question_create
    from schools.models import Region, School, Student

    call_command("migrate", verbosity=0)
    User = get_user_model()
    admin = User.objects.create_superuser(f"bench-admin-{tag}", password=None)
    province, _ = Region.objects.get_or_create(code="99", defaults={"name": "Tỉnh Bench", "kind": "province"})
    commune, _ = Region.objects.get_or_create(
        code="99990", defaults={"name": "Xã Bench", "kind": "commune", "parent": province}
    )
    school = School.objects.create(code=f"BENCH-{tag}", name="Trường THCS Bench", levels=["thcs"], commune=commune)
    unusable = "!"  # Django's mark of an unusable password: bench students sign in by session only
    users = User.objects.bulk_create([User(username=f"bench-{tag}-{i}", password=unusable) for i in range(students)])
    Student.objects.bulk_create(
        [Student(user=u, school=school, grade=9, full_name=f"Học sinh {i}") for i, u in enumerate(users)]
    )
    from quizbank.scope import Bank

    bank = Bank("official", "official", OwnerKind.OFFICIAL)
    qs = [
        question_create(
            user=None,
            bank=bank,
            status="approved",
            allow_duplicate=True,
            external_key=f"bench-{tag}-{i}",
            content={
                "qtype": "single",
                "stem": f"Câu hỏi bench {tag} số {i}?",
                "choices": [{"id": c, "text": f"Phương án {c}", "correct": c == "a"} for c in "abcd"],
            },
        )
        for i in range(questions)
    ]
    now = timezone.now()
    contest = services.contest_create(user=admin, name=f"Bench {tag}", year=now.year, region=province)

    def bench_round(name: str, reveal_during: int):
        round_ = services.round_create(
            user=admin,
            contest=contest,
            name=name,
            opens_at=now - timedelta(minutes=1),
            closes_at=now + timedelta(hours=3),
            duration_s=2 * 3600,
            attempts_policy="one",
            selection="fixed",
            scoring_format="contest",
            reveal_during=reveal_during,
            reveal_after_attempt=Reveal.SCORE,
            reveal_after_close=Reveal.EXPLANATIONS,
        )
        services.round_set_questions(user=admin, round_=round_, question_ids=[q.pk for q in qs])
        return round_

    round_ = bench_round("Bench", Reveal.NOTHING)
    scored = bench_round("Bench scores", Reveal.SCORE)  # the "scores" case: scores shown during the attempt
    expire = now + timedelta(days=1)
    store = SessionStore()
    sessions, cookies = [], []
    for u in users:
        key = secrets.token_hex(16)
        data = {"_auth_user_id": str(u.pk), "_auth_user_backend": "django.contrib.auth.backends.ModelBackend"}
        data["_auth_user_hash"] = u.get_session_auth_hash()
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        cookies.append(key)
    Session.objects.bulk_create(sessions, batch_size=1000)
    return {
        "round": round_.pk,
        "scored_round": scored.pk,
        "cookies": cookies,
        "admin": admin.pk,
        "questions": [q.pk for q in qs],
    }


def cleanup(tag: str, data: dict) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    from contest.models import Contest
    from quizbank.models import Question
    from schools.models import School, Student

    Contest.objects.filter(name=f"Bench {tag}").delete()
    Session.objects.filter(session_key__in=data["cookies"]).delete()
    Student.objects.filter(school__code=f"BENCH-{tag}").delete()
    get_user_model().objects.filter(username__startswith=f"bench-{tag}-").delete()
    get_user_model().objects.filter(pk=data["admin"]).delete()
    School.objects.filter(code=f"BENCH-{tag}").delete()
    Question.objects.filter(pk__in=data["questions"]).delete()


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not become healthy")


def wait_ready_line(process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if b"ready" in line:
            return
    raise RuntimeError("bare server did not start")


def run_phase(name: str, args, env: dict, server_cmd: list[str], path: str, cookies_file: str | None) -> dict:
    port = free_port()
    cmd = [part.replace("{port}", str(port)) for part in server_cmd]
    log = open(ROOT / "var" / f"bench-answers-{name}.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE if name == "bare" else log, stderr=log)
    try:
        if name == "bare":
            wait_ready_line(server)
        else:
            wait_healthy(port, server)
        pin(server.pid, 0)
        client_cmd = [
            PY, str(ROOT / "bench" / "answers_client.py"), "--port", str(port), "--path", path,
            "--mode", "bare" if name == "bare" else "channels", "--students", str(args.students),
            "--warmup", str(args.warmup), "--duration", str(args.duration), "--concurrency", str(args.concurrency),
        ]  # fmt: skip
        if cookies_file:
            client_cmd += ["--cookies", cookies_file]
        client = subprocess.Popen(client_cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        pin(client.pid, 1)
        cpu_start = cpu_end = None
        result = None
        deadline = time.monotonic() + args.warmup + args.duration + 360
        for line in client.stdout:
            line = line.strip()
            if line == "WINDOW_START":
                cpu_start = cpu_seconds(server.pid)
            elif line == "WINDOW_END":
                cpu_end = cpu_seconds(server.pid)
            elif line.startswith("{"):
                result = json.loads(line)
            elif line:
                print(f"  [{name}] {line}", flush=True)
            if time.monotonic() > deadline:
                client.kill()
                break
        client.wait(30)
        if result is None:
            raise RuntimeError(f"{name}: the client produced no result")
        cpu = (cpu_end - cpu_start) if cpu_start is not None and cpu_end is not None else None
        result["cpu_ms_per_answer"] = round(cpu * 1000 / result["acks"], 3) if cpu and result["acks"] else None
        result["server_cpu_share"] = round(cpu / result["window_s"], 2) if cpu else None
        return result
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per server")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=64, help="handshakes in flight while connecting")
    parser.add_argument("--skip", default="", help="comma-separated phases to skip: ours,scores,baseline,bare")
    args = parser.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    (ROOT / "var").mkdir(exist_ok=True)

    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # Each client sends its next save as soon as the last is acknowledged: with few
        # students that is far over a pupil's pace, so the per-socket flood limit is lifted.
        "SOCKET_MESSAGE_RATE": os.environ.get("SOCKET_MESSAGE_RATE", "1000000"),
        "SOCKET_MESSAGE_BURST": os.environ.get("SOCKET_MESSAGE_BURST", "1000000"),
    }
    database = os.environ.get("DATABASE_URL", "")
    if not database:
        sqlite = ROOT / "var" / "bench-answers.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        env["SQLITE_PATH"] = str(sqlite)
    setup_django(env)
    tag = secrets.token_hex(3)
    print(f"seeding {args.students} students, {args.questions} questions ({'PostgreSQL' if database else 'SQLite'})")
    data = seed(args.students, args.questions, tag)
    cookies_file = ROOT / "var" / f"bench-answers-{tag}.json"
    cookies_file.write_text(json.dumps(data["cookies"]))
    server_env = {**os.environ, **env}
    path = f"/ws/contest/rounds/{data['round']}/"
    daphne = [DAPHNE, "-e", "tcp:port={port}:interface=127.0.0.1:backlog=2048"]
    results = {}
    try:
        phases = [
            ("ours", [*daphne, "config.asgi:application"], path, str(cookies_file)),
            (
                "scores",
                [*daphne, "config.asgi:application"],
                f"/ws/contest/rounds/{data['scored_round']}/",
                str(cookies_file),
            ),
            ("baseline", [*daphne, "bench.answers_baseline:application"], path, str(cookies_file)),
            ("bare", [PY, str(ROOT / "bench" / "answers_bare.py"), "{port}"], "/", None),
        ]
        for name, cmd, p, cookies in phases:
            if name in skip:
                continue
            print(f"{name}: …", flush=True)
            results[name] = run_phase(name, args, server_env, cmd, p, cookies)
            r = results[name]
            print(
                f"{name}: {r['acks_per_s']:,.0f} acks/s, p50 {r['ack_p50_ms']} ms, p99 {r['ack_p99_ms']} ms, "
                f"{r['cpu_ms_per_answer']} ms CPU/answer, {r['connected']} connected, {r['errors']} errors",
                flush=True,
            )
    finally:
        cookies_file.unlink(missing_ok=True)
        if database:
            cleanup(tag, data)

    ours, base, bare = results.get("ours", {}), results.get("baseline", {}), results.get("bare", {})
    scores = results.get("scores", {})

    def ratio(a, b):
        return round(a / b, 2) if a and b else None

    summary = {
        "students": args.students,
        "database": "postgresql" if database else "sqlite",
        "acks_per_s": ours.get("acks_per_s"),
        "ack_p50_ms": ours.get("ack_p50_ms"),
        "ack_p99_ms": ours.get("ack_p99_ms"),
        "cpu_ms_per_answer": ours.get("cpu_ms_per_answer"),
        "scores_acks_per_s": scores.get("acks_per_s"),
        "scores_ack_p99_ms": scores.get("ack_p99_ms"),
        "scores_cpu_ms_per_answer": scores.get("cpu_ms_per_answer"),
        "scores_ratio_to_ours": ratio(scores.get("acks_per_s"), ours.get("acks_per_s")),
        "baseline_acks_per_s": base.get("acks_per_s"),
        "baseline_ack_p99_ms": base.get("ack_p99_ms"),
        "baseline_cpu_ms_per_answer": base.get("cpu_ms_per_answer"),
        "speedup": ratio(ours.get("acks_per_s"), base.get("acks_per_s")),
        "bare_acks_per_s": bare.get("acks_per_s"),
        "bare_cpu_ms_per_answer": bare.get("cpu_ms_per_answer"),
        "ratio_to_bare": ratio(ours.get("acks_per_s"), bare.get("acks_per_s")),
        "errors": {k: v.get("errors") for k, v in results.items()},
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
