"""The contest-night benchmark: pupils do what they do on a weekly round's night, end to end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hts_night REDIS_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python bench/night.py --pupils 5000 --workers 2

Each pupil, on its own HTTP connection (keep-alive, cookies) and websocket:
home page → sign-in page → sign in with the login card's secret → round list → round page with
every static file it links (as a new phone, nothing cached) → websocket: start, 10 answers with
a think time, the prediction, submit → result page → live board page and its API read.

Two set-ups, one after the other in the same run, on the same database and Redis:
1. ``single``: one Daphne process, as ``make run`` serves (static files through WhiteNoise);
2. ``proxy``: N Daphne workers and the contest clock behind nginx with the shipped
   ``deploy/nginx/hoithiso.conf`` (static files from nginx, pre-compressed).
With ``--compare-cache``, a third set-up runs the proxy again with the page cache off
(``PAGE_CACHE=0``, core/pagecache.py): the before/after figures of caching in one run.
Pupils arrive as fast as ``--concurrency`` allows (at most that many nights in flight), so the
completion rate is the set-up's capacity on this machine. For each set-up it prints, per step,
requests, p50 and p99 and errors; then the pupils per second, the server CPU per pupil (the
Daphne workers, the clock and nginx, from /proc; PostgreSQL and Redis are not counted), the
pupils per second one core sustains, and the sign-in CPU per pupil (a separate sequential pass).
The last line is one JSON object with ``pupils_per_s_per_core``, ``p99_ms_max``, ``errors``,
``signin_cpu_ms`` and ``speedup_n_workers``. Loopback only; every phase is bounded in time:
pupils still running at ``--deadline`` are cancelled and counted as ``unfinished`` errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CLK_TCK = os.sysconf("SC_CLK_TCK")
SECRET = "Dem-Thi-2026"  # noqa: S105 - every bench pupil's card secret (bench data only)


# --- processes and their CPU ------------------------------------------------------------------
def _stat(pid: int) -> tuple[int, float]:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLK_TCK  # ppid, utime + stime


def tree_cpu(roots: list[int]) -> float:
    """CPU seconds of the processes ``roots`` and all their descendants (nginx's workers)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                table[int(entry.name)] = _stat(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    wanted, total = set(roots), 0.0
    changed = True
    while changed:
        changed = False
        for pid, (ppid, _cpu) in table.items():
            if ppid in wanted and pid not in wanted:
                wanted.add(pid)
                changed = True
    for pid in wanted:
        if pid in table:
            total += table[pid][1]
    return total


# --- data ------------------------------------------------------------------------------------
def seed(pupils: int, tag: str) -> dict:
    """Pupils with card secrets, and an open round of 10 questions with a prediction."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from contest import services
    from contest.models import Reveal
    from core.hashers import card_hash
    from quizbank.services import question_create
    from schools.models import Region, School, Student
    from tests.quizbank.factories import OFFICIAL

    call_command("migrate", verbosity=0)
    User = get_user_model()
    admin = User.objects.create_superuser(f"night-admin-{tag}", password=None)
    province, _ = Region.objects.get_or_create(code="98", defaults={"name": "Tỉnh Đêm Thi", "kind": "province"})
    commune, _ = Region.objects.get_or_create(
        code="98980", defaults={"name": "Xã Đêm Thi", "kind": "commune", "parent": province}
    )
    school = School.objects.create(code=f"NIGHT-{tag}", name="Trường THCS Đêm Thi", levels=["thcs"], commune=commune)
    hashed = card_hash(SECRET)  # one hash: the same secret for every bench pupil
    users = User.objects.bulk_create([User(username=f"night-{tag}-{i}", password=hashed) for i in range(pupils)])
    Student.objects.bulk_create(
        [
            Student(user=u, school=school, grade=9, full_name=f"Học Sinh Đêm {i}", initial_password=SECRET)
            for i, u in enumerate(users)
        ]
    )
    questions = [
        question_create(
            user=None,
            bank=OFFICIAL,
            status="approved",
            content={
                "qtype": "single",
                "stem": f"Câu hỏi đêm thi {tag} số {i}?",
                "choices": [{"id": c, "text": f"Phương án {c}", "correct": c == "a"} for c in "abcd"],
            },
        )
        for i in range(10)
    ]
    now = timezone.now()
    contest = services.contest_create(user=admin, name=f"Đêm thi {tag}", year=now.year, region=province)
    round_ = services.round_create(
        user=admin,
        contest=contest,
        name="Tuần thi thử tải",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=3),
        duration_s=3600,
        attempts_policy="one",
        selection="fixed",
        scoring_format="contest",
        reveal_during=Reveal.NOTHING,
        reveal_after_attempt=Reveal.SCORE,
        reveal_after_close=Reveal.EXPLANATIONS,
        prediction_kind="participants",
    )
    services.round_set_questions(user=admin, round_=round_, question_ids=[q.pk for q in questions])
    return {"round": round_.pk, "usernames": [u.username for u in users]}


# --- servers ---------------------------------------------------------------------------------
def server_env(extra: dict) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-night-secret-key"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    return env


def start_daphne(port: int, env: dict, log: Path) -> subprocess.Popen:
    daphne = str(Path(sys.executable).with_name("daphne"))
    return subprocess.Popen(
        [daphne, "-e", f"tcp:port={port}:interface=127.0.0.1:backlog=4096", "config.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def wait_healthy(url: str, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=3) as resp:  # noqa: S310 - loopback
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy in {timeout:.0f} s")


# --- the pupils ------------------------------------------------------------------------------
class Night:
    def __init__(self, base: str, round_id: int):
        self.base, self.round_id = base, round_id
        self.lat: dict[str, list[float]] = defaultdict(list)
        self.err: dict[str, int] = defaultdict(int)
        self.assets: list[str] | None = None
        self.codes: dict[str, int] = defaultdict(int)  # step:status or step:error code, for reading

    async def timed(self, step: str, coro):
        began = time.perf_counter()
        try:
            result = await coro
        except Exception:  # every failure is counted against its step
            self.err[step] += 1
            return None
        self.lat[step].append((time.perf_counter() - began) * 1000)
        return result

    async def get(self, client, step: str, path: str):
        resp = await self.timed(step, client.get(path))
        if resp is not None and resp.status_code >= 400:
            self.err[step] += 1
            self.codes[f"{step}:{resp.status_code}"] += 1
        return resp

    async def pupil(self, username: str) -> None:
        import httpx
        from websockets.asyncio.client import connect

        async with httpx.AsyncClient(base_url=self.base, timeout=30, follow_redirects=False) as client:
            await self.get(client, "home", "/")
            page = await self.get(client, "signin_page", "/accounts/login/")
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text) if page else None
            if found is None:  # the sign-in page failed (counted there): this pupil stops
                return
            token = found.group(1)
            resp = await self.timed(
                "signin",
                client.post(
                    "/accounts/login/",
                    data={"username": username, "password": SECRET, "csrfmiddlewaretoken": token},
                    headers={"Referer": f"{self.base}/accounts/login/"},
                ),
            )
            if resp is None or resp.status_code != 302:
                self.err["signin"] += resp is not None
                return
            await self.get(client, "round_list", "/contest/")
            page = await self.get(client, "round_page", f"/contest/rounds/{self.round_id}/")
            if page is not None and self.assets is None:
                self.assets = sorted(set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)))
            for asset in self.assets or []:
                await self.get(client, "static", asset)
            cookie = f"sessionid={client.cookies.get('sessionid')}"
            ws_url = self.base.replace("http://", "ws://") + f"/ws/contest/rounds/{self.round_id}/"
            result_url = await self.timed("websocket", self.take(connect, ws_url, cookie))
            if result_url:
                await self.get(client, "result_page", result_url)
            await self.get(client, "board_page", f"/leaderboard/rounds/{self.round_id}/")
            await self.get(client, "board_api", f"/api/leaderboard/rounds/{self.round_id}/board/")

    async def take(self, connect, url: str, cookie: str) -> str:
        async with connect(
            url, additional_headers={"Cookie": cookie, "Origin": self.base}, open_timeout=30, ping_interval=None
        ) as ws:

            async def ask(message: dict, want: str, step: str) -> dict:
                began = time.perf_counter()
                await ws.send(json.dumps(message))
                while True:
                    reply = json.loads(await asyncio.wait_for(ws.recv(), 30))
                    if reply.get("ref") == message.get("ref") and reply["type"] in (want, "error"):
                        self.lat[step].append((time.perf_counter() - began) * 1000)
                        if reply["type"] == "error":
                            self.err[step] += 1
                            self.codes[f"{step}:{reply.get('code')}"] += 1
                        return reply

            await asyncio.wait_for(ws.recv(), 30)  # round.snapshot
            snap = await ask({"type": "attempt.start", "ref": "s"}, "round.snapshot", "ws_start")
            questions = (snap.get("attempt") or {}).get("questions") or []
            for k, q in enumerate(questions):
                await asyncio.sleep(self.think)
                choice = q["choices"][k % len(q["choices"])]["id"]
                await ask({"type": "answer.save", "ref": k, "question": q["id"], "response": {"choice": choice}},
                          "answer.saved", "ws_answer")  # fmt: skip
            await ask({"type": "attempt.predict", "ref": "p", "value": 100}, "attempt.predicted", "ws_predict")
            closed = await ask({"type": "attempt.submit", "ref": "x"}, "attempt.closed", "ws_submit")
            return closed.get("result_url", "")

    async def run(self, usernames: list[str], concurrency: int, think: float, deadline_s: float) -> float:
        self.think = think
        gate = asyncio.Semaphore(concurrency)

        async def one(name):
            async with gate:
                await self.pupil(name)

        began = time.perf_counter()
        tasks = [asyncio.ensure_future(one(u)) for u in usernames]
        done, pending = await asyncio.wait(tasks, timeout=deadline_s)
        wall = time.perf_counter() - began
        # Past the deadline the set-up is too slow: report what finished, count the rest.
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        self.finished, self.unfinished = len(done), len(pending)
        if pending:
            self.err["unfinished"] += len(pending)
        return wall


class Backends:
    """The PostgreSQL backends connected to the bench database, sampled while the night runs."""

    def __init__(self):
        import threading

        self.samples: list[int] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg
        from django.db import connection

        cfg = connection.settings_dict
        with psycopg.connect(
            host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], dbname=cfg["NAME"], autocommit=True
        ) as conn:
            while not self.stop.wait(0.5):
                (n,) = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
                ).fetchone()
                self.samples.append(n)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(5)


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] if values else 0.0


def signin_cpu(base: str, roots: list[int], usernames: list[str]) -> float:
    """Server CPU ms per sign-in: sequential sign-ins, each with its own fresh client."""
    import httpx

    before = tree_cpu(roots)
    for name in usernames:
        with httpx.Client(base_url=base, timeout=30) as client:
            page = client.get("/accounts/login/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            client.post(
                "/accounts/login/",
                data={"username": name, "password": SECRET, "csrfmiddlewaretoken": token},
                headers={"Referer": f"{base}/accounts/login/"},
            )
    per_pupil = (tree_cpu(roots) - before) / len(usernames) * 1000
    return per_pupil  # both requests of a sign-in: the form and the POST


def measure(name: str, base: str, roots: list[int], data: dict, args) -> dict:
    night = Night(base, data["round"])
    usernames = data["usernames"][: args.pupils]
    cpu_before = tree_cpu(roots)
    with Backends() as backends:
        wall = asyncio.run(night.run(usernames, args.concurrency, args.think, args.deadline))
    cpu = tree_cpu(roots) - cpu_before
    signin = signin_cpu(base, roots, data["usernames"][args.pupils : args.pupils + 100])
    most = max(backends.samples, default=0)
    finished = night.finished
    print(
        f"\n== {name}: {finished} of {len(usernames)} pupils in {wall:.1f} s, server CPU {cpu:.1f} s, "
        f"DB backends <= {most}"
    )
    print(f"{'step':<12} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for step, values in night.lat.items():
        print(
            f"{step:<12} {len(values):>9} {len(values) / wall:>8.1f} {pct(values, 0.5):>8.1f} "
            f"{pct(values, 0.99):>8.1f} {night.err.get(step, 0):>7}"
        )
    # "websocket" is a whole socket session, think time included: a duration, not a latency.
    p99_max = max((pct(v, 0.99) for step, v in night.lat.items() if step != "websocket"), default=0.0)
    return {
        "pupils": len(usernames),
        "finished": finished,
        "wall_s": round(wall, 1),
        "pupils_per_s": round(finished / wall, 1),
        "server_cpu_s": round(cpu, 1),
        "cpu_ms_per_pupil": round(cpu / max(finished, 1) * 1000, 1),
        "pupils_per_s_per_core": round(finished / cpu, 1) if cpu else None,
        "p99_ms_max": round(p99_max, 1),
        "errors": sum(night.err.values()),
        "errors_by_step": dict(night.err),
        "error_codes": dict(night.codes),
        "signin_cpu_ms": round(signin, 2),
        "db_backends_max": most,
    }


def server_errors(work: Path, most: int = 5) -> None:
    """The first distinct errors the servers logged (their logs go with the run's folder)."""
    seen: list[str] = []
    for log in sorted(work.glob("daphne-*.log")):
        for line in log.read_text(errors="replace").splitlines():
            if ("Error" in line or "Exception" in line) and line.strip() not in seen:
                seen.append(line.strip())
        log.unlink()
    for line in seen[:most]:
        print(f"   server log: {line[:300]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pupils", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=200, help="pupils in flight at once")
    parser.add_argument("--think", type=float, default=0.2, help="seconds between answers")
    parser.add_argument("--deadline", type=float, default=1200, help="give up after this many seconds")
    parser.add_argument("--skip", default="", help="comma-separated set-ups to skip: single, proxy")
    parser.add_argument(
        "--compare-cache",
        action="store_true",
        help="also run the proxy set-up with the page cache off (PAGE_CACHE=0), for before/after figures",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        parser.error("set DATABASE_URL (PostgreSQL) and REDIS_URL: the night runs as in production")
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        parser.error("nginx is needed for the proxy set-up (Debian package nginx-light)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-night-secret-key")
    import logging

    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from tests.support.nginx import start_nginx
    from tests.support.server import free_port

    tag = f"{int(time.time())}"
    runs = [s for s in ("single", "proxy") if s not in args.skip.split(",")]
    if args.compare_cache:
        runs.append("proxy_nocache")
    data = seed(args.pupils * len(runs) + 100 * len(runs), tag)
    work = Path(tempfile.mkdtemp(prefix="night-"))
    from django.conf import settings

    static_root = Path(settings.STATIC_ROOT)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=server_env({}),
        check=True,
    )
    env = server_env({"TRUSTED_PROXIES": "127.0.0.1"})
    results = {}
    offset = 0
    try:
        for name in runs:
            procs = []
            ports = [free_port() for _ in range(1 if name == "single" else args.workers)]
            run_env = {**env, "PAGE_CACHE": "0" if name == "proxy_nocache" else "1"}
            procs += [start_daphne(p, run_env, work / f"daphne-{p}.log") for p in ports]
            procs.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "run_clock"], cwd=ROOT, env=run_env, stdout=subprocess.DEVNULL
                )
            )
            for p in ports:
                wait_healthy(f"http://127.0.0.1:{p}")
            proxy = None
            base = f"http://127.0.0.1:{ports[0]}"
            if name.startswith("proxy"):
                proxy = start_nginx(work / "nginx", upstream_ports=ports, static_root=static_root)
                base = proxy.url
            roots = [p.pid for p in procs] + ([proxy.process.pid] if proxy else [])
            share = {"round": data["round"], "usernames": data["usernames"][offset:]}
            offset += args.pupils + 100
            try:
                results[name] = measure(name, base, roots, share, args)
                server_errors(work)
            finally:
                if proxy:
                    proxy.stop()
                for p in procs:
                    p.terminate()
                for p in procs:
                    try:
                        p.wait(20)
                    except subprocess.TimeoutExpired:  # busy with cancelled sockets: no more waiting
                        p.kill()
                        p.wait(5)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary = {"runs": results}
    best = results.get("proxy") or results.get("single")
    summary.update({k: best[k] for k in ("pupils_per_s_per_core", "p99_ms_max", "errors", "signin_cpu_ms")})
    if "single" in results and "proxy" in results:
        summary["speedup_n_workers"] = round(results["proxy"]["pupils_per_s"] / results["single"]["pupils_per_s"], 2)
        summary["workers"] = args.workers
    if "proxy" in results and "proxy_nocache" in results:
        cached, uncached = results["proxy"], results["proxy_nocache"]
        summary["page_cache"] = {
            "cpu_ms_per_pupil": [uncached["cpu_ms_per_pupil"], cached["cpu_ms_per_pupil"]],
            "pupils_per_s_per_core": [uncached["pupils_per_s_per_core"], cached["pupils_per_s_per_core"]],
        }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
