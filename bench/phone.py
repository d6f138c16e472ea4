"""What a pupil's cheap phone waits for: every pupil page against a "limit" page, in Chromium
throttled like a cheap Android phone on a mobile network.

    .venv/bin/python bench/phone.py            # 3 cold and 3 warm loads per page
    .venv/bin/python bench/phone.py --runs 5

It builds a throw-away install with production settings (DEBUG=0, SQLite in a temporary
folder, ``migrate``, ``seed_demo``, ``collectstatic``), starts Daphne on it, and drives the
system Chromium (Playwright) with, through the DevTools protocol: CPU slowed 4 times, 150 ms
latency, 1.6 Mbit/s down and 0.75 Mbit/s up, a 360x740 screen.

Each page is compared with its limit: a page with the same visible text, served by the same
server as one gzipped static file (so the difference is what the page adds: markup, styles,
scripts, round trips). Per page it prints the bytes sent cold (empty cache) and warm (the page
opened again), the requests, and the first and largest contentful paints (median of the runs)
with their ratio to the limit page's. The last line is JSON: ``max_cold_kb`` (over the pupil
pages but the public ranking, which is given as ``ranking_cold_kb``), ``max_warm_requests``,
``fcp_ratio_max`` and ``lcp_ratio_live_join``.

Targets (issue #20): ≤ 30 KB cold (public ranking ≤ 60 KB), warm loads send only the HTML (one
request), FCP ≤ 1.5 × the limit page's, and the live join page's LCP ≤ 1.5 × its limit's.
"""

import argparse
import gzip
import html
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KBIT = 1000 / 8  # bytes per second in one kbit/s
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1600 * KBIT, "uploadThroughput": 750 * KBIT}
CPU_SLOWDOWN = 4
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN", "device_scale_factor": 2, "is_mobile": True}
LIMIT_DIR = "bench-limit"


# --- the install ------------------------------------------------------------------------------
def _env(tmp: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-phone-only",
        "SQLITE_PATH": str(tmp / "db.sqlite3"),
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    return env


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def setup_data() -> None:
    """Run in a child process with the bench's settings: the pages' ids and a pupil's session."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from contest.models import Attempt, Round
    from contest.services.attempts import attempt_start
    from core.errors import DomainError
    from leaderboard.models import Publication
    from live import services as live
    from quizbank.selectors import approved_questions
    from schools.selectors import schools_in_scope, user_manages_school

    users = get_user_model().objects
    pupil, teacher = users.get(username="hocsinh"), users.get(username="giaovien")
    client = Client()
    client.force_login(pupil)
    result_session = client.cookies["sessionid"].value  # the demo pupil, who has a result
    now = timezone.now()
    open_round = Round.objects.filter(contest__is_demo=True, opens_at__lte=now, closes_at__gt=now).first()
    try:
        attempt = attempt_start(user=pupil, round_=open_round)
    except DomainError:  # no attempt left in a kept install: a new pupil of the same class
        pupil = _another_pupil(pupil)
        client = Client()  # a login on the same client would end the demo pupil's session
        client.force_login(pupil)
        attempt = attempt_start(user=pupil, round_=open_round)
    done = Attempt.objects.filter(student__user__username="hocsinh", submitted_at__isnull=False).order_by("pk").first()
    school = next(s for s in schools_in_scope(teacher) if user_manages_school(teacher, s))
    pool = list(
        approved_questions(language="vi")
        .filter(qtype="single", external_key__startswith="demo:")
        .order_by("pk")
        .values_list("pk", flat=True)[:3]
    )
    lobby = live.game_create(user=teacher, school=school, name="Đố vui 5 phút", question_ids=pool)
    running = live.game_create(user=teacher, school=school, name="Đố vui giữa giờ", question_ids=pool)
    live.game_next(user=teacher, game_id=running.pk)
    pub = Publication.objects.filter(superseded_at__isnull=True).order_by("pk").first()
    print(
        json.dumps(
            {
                "session": client.cookies["sessionid"].value,
                "result_session": result_session,
                "round": open_round.pk,
                "attempt": attempt.pk,
                "result": done.pk if done else None,
                "pin": lobby.pin,
                "game": running.pk,
                "publication": pub.pk if pub else None,
            }
        )
    )


def _another_pupil(pupil):
    from schools.models import Student
    from schools.services import student_create

    student = Student.objects.get(user=pupil)
    n = Student.objects.filter(school_class=student.school_class).count()
    return student_create(
        username=f"bench-phone-{n}",
        password=None,
        school=student.school,
        full_name=f"Học sinh thử {n}",
        grade=student.grade,
        school_class=student.school_class,
        consent_student=True,
        consent_guardian=True,
    ).user


def pages(ids: dict) -> list[tuple[str, str, str | None]]:
    """(name, path, the pupil's session id or None)."""
    pupil = ids["session"]
    out = [
        ("home", "/", None),
        ("login", "/accounts/login/", None),
        ("round list", "/contest/", pupil),
        ("round page", f"/contest/rounds/{ids['round']}/", pupil),
        ("attempt", f"/contest/attempts/{ids['attempt']}/", pupil),
    ]
    if ids["result"]:
        out.append(("result", f"/contest/attempts/{ids['result']}/result/", ids["result_session"]))
    out += [
        ("live join by PIN", f"/live/join/?pin={ids['pin']}", None),
        ("live game page", f"/live/{ids['game']}/play/", None),
    ]
    if ids["publication"]:
        out.append(("public ranking", f"/leaderboard/p/{ids['publication']}/", None))
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: dict, log: Path):
        self.port = _free_port()
        self.log = log.open("ab")
        daphne = str(Path(sys.executable).with_name("daphne"))
        self.process = subprocess.Popen(
            [daphne, "-e", f"tcp:port={self.port}:interface=127.0.0.1", "config.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5):  # noqa: S310 - loopback
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("daphne did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.log.close()


# --- the limit pages ----------------------------------------------------------------------------
def limit_page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head><body>{paragraphs}</body></html>"
    ).encode()


def write_limits(browser, base: str, plan, static_root: Path) -> None:
    folder = static_root / LIMIT_DIR
    folder.mkdir(exist_ok=True)
    for i, (_name, path, session) in enumerate(plan):
        context = browser.new_context(**PHONE)
        if session:
            context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
        page = context.new_page()
        page.goto(base + path, wait_until="load")
        page.wait_for_timeout(300)
        body = limit_page(page.title(), page.evaluate("document.body.innerText"))
        context.close()
        (folder / f"{i}.html").write_bytes(body)
        (folder / f"{i}.html.gz").write_bytes(gzip.compress(body, 9))


# --- measuring ---------------------------------------------------------------------------------
PAINTS = """() => new Promise((resolve) => {
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  let lcp = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) lcp = e.startTime; })
    .observe({ type: "largest-contentful-paint", buffered: true });
  setTimeout(() => resolve({ fcp: fcp ? fcp.startTime : 0, lcp }), 200);
})"""


def load(context, url: str) -> dict:
    """One throttled load in ``context``: bytes and requests that went to the network, paints."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    sent, cached, sizes = set(), set(), {}
    cdp.on("Network.requestWillBeSent", lambda e: sent.add(e["requestId"]))
    cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
    cdp.on(
        "Network.responseReceived",
        lambda e: cached.add(e["requestId"]) if e["response"].get("fromDiskCache") else None,
    )
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(500)
    paints = page.evaluate(PAINTS)
    network = [rid for rid in sent if rid not in cached and rid in sizes]
    page.close()
    return {
        "bytes": sum(sizes[rid] for rid in network),
        "requests": len(network),
        "fcp": paints["fcp"],
        "lcp": paints["lcp"],
    }


def load_pair(browser, base: str, path: str, session: str | None) -> tuple[dict, dict]:
    """A cold load (fresh profile) and a warm one (the page opened again in that profile)."""
    context = browser.new_context(**PHONE)
    if session:
        context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    try:
        return load(context, base + path), load(context, base + path)
    finally:
        context.close()


def summarise(pairs: list[tuple[dict, dict]]) -> dict:
    cold = [c for c, _w in pairs]
    warm = [w for _c, w in pairs]
    med = statistics.median
    return {
        "cold_kb": max(r["bytes"] for r in cold) / 1000,
        "cold_requests": max(r["requests"] for r in cold),
        "warm_kb": max(r["bytes"] for r in warm) / 1000,
        "warm_requests": max(r["requests"] for r in warm),
        "fcp": med(r["fcp"] for r in cold),
        "lcp": med(r["lcp"] for r in cold),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold+warm loads per page (median paints)")
    parser.add_argument("--install", help="keep the install in this folder and reuse it next time")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup_data()
        return

    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM_ARGS, chromium_path

    tmp = Path(args.install) if args.install else Path(tempfile.mkdtemp(prefix="bench-phone-"))
    tmp.mkdir(parents=True, exist_ok=True)
    env = _env(tmp)
    server = None
    try:
        if not (tmp / "db.sqlite3").exists():
            print("building the install (migrate, seed_demo)…", file=sys.stderr)
            _manage(env, "migrate", "--noinput", "-v", "0")
            _manage(env, "seed_demo", "--allow-demo-passwords")
        _manage(env, "collectstatic", "--noinput", "-v", "0")  # the sources may have changed
        # Fresh games and a running attempt each time (an attempt of an earlier run has expired).
        setup = subprocess.run(
            [sys.executable, __file__, "--setup"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        ids = json.loads(setup.stdout.strip().splitlines()[-1])
        plan = pages(ids)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
            # The limit pages are made from the pages' own text; WhiteNoise reads the static
            # folder when it starts, so the server is started again after writing them.
            server = Server(env, tmp / "daphne.log")
            write_limits(browser, server.url, plan, Path(env["STATIC_ROOT"]))
            server.stop()
            server = Server(env, tmp / "daphne.log")
            # Page and limit loads alternate, so a busy moment of the machine falls on both.
            real = {name: [] for name, _p, _s in plan}
            limit = {name: [] for name, _p, _s in plan}
            for run in range(args.runs):
                print(f"  run {run + 1}/{args.runs}", file=sys.stderr)
                for i, (name, path, session) in enumerate(plan):
                    real[name].append(load_pair(browser, server.url, path, session))
                    limit[name].append(load_pair(browser, server.url, f"/static/{LIMIT_DIR}/{i}.html", None))
            rows = [(name, summarise(real[name]), summarise(limit[name])) for name, _p, _s in plan]
            browser.close()
    finally:
        if server:
            server.stop()
        if not args.install:
            shutil.rmtree(tmp, ignore_errors=True)

    head = (
        f"{'page':<18} {'cold KB':>8} {'req':>4} {'warm KB':>8} {'req':>4} {'FCP ms':>7} {'limit':>6} {'×':>5}"
        f" {'LCP ms':>7} {'limit':>6} {'×':>5} {'limit KB':>8}"
    )

    def ratio(a: float, b: float) -> float:
        return a / b if b else float("nan")

    print(f"CPU ×{CPU_SLOWDOWN}, {NETWORK['latency']} ms, 1.6 Mbit/s down, 360×740; median of {args.runs}")
    print(head)
    print("-" * len(head))
    for name, r, lim in rows:
        print(
            f"{name:<18} {r['cold_kb']:>8.1f} {r['cold_requests']:>4} {r['warm_kb']:>8.1f} {r['warm_requests']:>4}"
            f" {r['fcp']:>7.0f} {lim['fcp']:>6.0f} {ratio(r['fcp'], lim['fcp']):>5.2f}"
            f" {r['lcp']:>7.0f} {lim['lcp']:>6.0f} {ratio(r['lcp'], lim['lcp']):>5.2f} {lim['cold_kb']:>8.1f}"
        )
    ranking = [r for name, r, _lim in rows if name == "public ranking"]
    join = next((r, lim) for name, r, lim in rows if name == "live join by PIN")
    summary = {
        "max_cold_kb": round(max(r["cold_kb"] for name, r, _lim in rows if name != "public ranking"), 1),
        "ranking_cold_kb": round(ranking[0]["cold_kb"], 1) if ranking else None,
        "max_warm_requests": max(r["warm_requests"] for _name, r, _lim in rows),
        "max_warm_kb": round(max(r["warm_kb"] for _name, r, _lim in rows), 1),
        "fcp_ratio_max": round(max(ratio(r["fcp"], lim["fcp"]) for _name, r, lim in rows), 2),
        "lcp_ratio_live_join": round(ratio(join[0]["lcp"], join[1]["lcp"]), 2),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
