"""Live-game fan-out benchmark: N phones in one game on one Daphne process.

    .venv/bin/python bench/live.py                     # N = 500, 2,000 and 5,000
    .venv/bin/python bench/live.py --players 2000      # one size
    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/live.py   # the Redis hub and layer

For each N, with fresh processes and connections, in the same run:

1. ours: ``daphne config.asgi:application``. The players (``bench/live_client.py``, a separate
   process) connect to ``/ws/live/<game>/play/`` and join with a nickname. The host drives K
   questions over REST; for each, the question start's delivery latency (receive time - the
   frame's ``server_now``) over all players, then every player answers at once (acks per second,
   ack p99), then the question closes by itself (everyone answered).
2. bare: a ``websockets`` server broadcasting the same frame with ``websockets.broadcast``:
   the limit (``bench/live_baselines.py``).
3. group_send: a plain Channels consumer per socket, ``group_send`` to a group, each handler
   JSON-encoding and sending: what most Channels apps do. Same channel layer as ours (Redis
   pub/sub with ``REDIS_URL``, else in-memory).

Reported per N: connect and join time; question-start p50/p99/max (the median over the K
questions of each question's figure); acks per second and ack p99; server CPU per delivered
message (from /proc, all threads, over the start window); RSS per connection (VmRSS after the
N joins minus before, over N). The server is pinned to CPU 0 and the players to CPU 1. The run
ends with one JSON line per N. Uses a fresh SQLite file in var/ (or ``DATABASE_URL``).
Loopback only; every wait is bounded. A run whose players did not all connect, did not all
receive what was expected in time, or were dropped by the server stops at once with the
reason and exit status 1: its figures would describe fewer phones than asked.
"""

import argparse
import json
import os
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = sys.executable
DAPHNE = str(Path(PY).with_name("daphne"))
CLK_TCK = os.sysconf("SC_CLK_TCK")
SIZES = [500, 2000, 5000]
QUESTION = '"phase":"question"'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def pin(pid: int, cpu: int) -> None:
    if len(os.sched_getaffinity(0)) >= 2:
        os.sched_setaffinity(pid, {cpu})


def raise_fd_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def wait_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


# --- data ---------------------------------------------------------------------------------
def setup_django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(questions: int, tag: str) -> dict:
    from rest_framework.authtoken.models import Token

    from quizbank.models import OwnerKind, Status
    from quizbank.scope import Bank
    from quizbank.services import question_create
    from schools import services as schools

    province = schools.region_upsert(code="98", name="Tỉnh Bench", kind="province")
    commune = schools.region_upsert(
        code=f"98{secrets.randbelow(1000):03d}", name=f"Xã Bench {tag}", kind="commune", parent=province
    )
    school = schools.school_upsert(code=f"B{tag}", name=f"Trường Bench {tag}", levels=["thcs"], commune=commune)
    from django.contrib.auth import get_user_model

    teacher = get_user_model().objects.create_user(f"bench-live-{tag}", password=None)
    schools.membership_grant(user=teacher, role="teacher", school=school)
    official = Bank("official", "official", OwnerKind.OFFICIAL)
    ids = []
    for i in range(questions):
        content = {
            "qtype": "single",
            "stem": f"Câu hỏi số {i + 1}: mật khẩu nào an toàn nhất cho tài khoản của em? ({tag})",
            "choices": [
                {"id": "c0", "text": "123456", "correct": False},
                {"id": "c1", "text": "Một cụm từ dài, riêng cho từng tài khoản", "correct": True},
                {"id": "c2", "text": "Ngày sinh của em", "correct": False},
                {"id": "c3", "text": "Tên trường và lớp", "correct": False},
            ],
        }
        ids.append(question_create(user=None, bank=official, content=content, status=Status.APPROVED).pk)
    token = Token.objects.get_or_create(user=teacher)[0].key
    return {"teacher": teacher, "school": school, "questions": ids, "token": token}


def new_game(data: dict, name: str):
    from live import services

    return services.game_create(
        user=data["teacher"],
        school=data["school"],
        name=name,
        question_ids=data["questions"],
        time_limit_s=300,
        shuffle_choices=False,
    )


def question_frame(game_id: int) -> dict:
    from live.models import LiveGame
    from live.selectors import state_payload

    return state_payload(LiveGame.objects.select_related("round").get(pk=game_id))


# --- processes ----------------------------------------------------------------------------
class BenchFailed(RuntimeError):
    """The players did not do what was asked: the run's figures would be wrong."""


class Players:
    def __init__(self):
        self.process = subprocess.Popen(
            [PY, str(ROOT / "bench" / "live_client.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            preexec_fn=raise_fd_limit,
        )
        pin(self.process.pid, 1)

    def __call__(self, **cmd) -> dict:
        self.process.stdin.write(json.dumps(cmd) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise BenchFailed("the players' process died")
        result = json.loads(line)
        self.check(cmd, result)
        return result

    @staticmethod
    def check(cmd: dict, result: dict) -> None:
        what = f"{cmd['cmd']} {cmd.get('marker', '')}".strip()
        if result.get("lost"):
            raise BenchFailed(f"{what}: the server closed {result['lost']} players' sockets")
        if cmd["cmd"] == "connect" and (result.get("failed") or result.get("connected") != cmd["n"]):
            raise BenchFailed(
                f"connect: {result.get('connected')} of {cmd['n']} connected, {result.get('failed')} failed"
            )
        if result.get("complete") is False:
            got = result.get("received", result.get("acked"))
            raise BenchFailed(f"{what}: incomplete after {cmd.get('timeout')} s ({got} players got it)")

    def stop(self) -> None:
        try:
            self.process.stdin.write(json.dumps({"cmd": "exit"}) + "\n")
            self.process.stdin.flush()
            self.process.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


def start(cmd: list[str], env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=raise_fd_limit
    )
    pin(process.pid, 0)
    wait_port(port, process)
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def daphne(app: str, port: int) -> list[str]:
    return [DAPHNE, "-v", "0", "-e", f"tcp:port={port}:interface=127.0.0.1:backlog=2048", app]


def post(port: int, path: str, token: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body or {}).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        return json.loads(response.read())


# --- runs ---------------------------------------------------------------------------------
def run_ours(n: int, k: int, data: dict, env: dict, players: Players) -> dict:
    warm, game = new_game(data, "Khởi động"), new_game(data, f"Bench {n}")
    port = free_port()
    server = start(daphne("config.asgi:application", port), env, port)
    try:
        join = {"type": "live.join", "pin": warm.pin}
        players(cmd="connect", host="127.0.0.1", port=port, path=f"/ws/live/{warm.pk}/play/", n=1, join=join)
        for _step in range(3):  # warm the REST path and a transition (first requests import code)
            post(port, f"/api/live/games/{warm.pk}/next/", data["token"])
        post(port, f"/api/live/games/{warm.pk}/end/", data["token"])
        players(cmd="close")
        time.sleep(1.0)
        rss0 = rss_kb(server.pid)
        join = {"type": "live.join", "pin": game.pin}
        path = f"/ws/live/{game.pk}/play/"
        conn = players(cmd="connect", host="127.0.0.1", port=port, path=path, n=n, join=join, timeout=300)
        time.sleep(2.0)
        rss1 = rss_kb(server.pid)
        starts, cpus, bursts = [], [], []
        for q in range(k):
            cpu0 = cpu_seconds(server.pid)
            post(port, f"/api/live/games/{game.pk}/next/", data["token"])
            starts.append(players(cmd="expect", marker=QUESTION, timeout=120))
            cpus.append((cpu_seconds(server.pid) - cpu0) / n * 1e6)
            if q == 0:
                frame = question_frame(game.pk)
            bursts.append(players(cmd="answer", index=q, choice="c1", timeout=180))
            players(cmd="expect", marker='"phase":"results"', timeout=120)
            if q < k - 1:
                post(port, f"/api/live/games/{game.pk}/next/", data["token"])
                players(cmd="expect", marker='"phase":"leaderboard"', timeout=60)
        post(port, f"/api/live/games/{game.pk}/end/", data["token"])
        players(cmd="expect", marker='"phase":"ended"', timeout=120)
        players(cmd="close")
    finally:
        stop(server)
    return {
        "connect": conn,
        "rss_kb_per_conn": (rss1 - rss0) / max(1, conn["connected"]),
        "starts": starts,
        "cpu_us_per_msg": statistics.median(cpus),
        "bursts": bursts,
        "frame": frame,
    }


def run_baseline(kind: str, n: int, k: int, frame: dict, env: dict, players: Players) -> dict:
    from websockets.sync.client import connect

    port = free_port()
    if kind == "bare":
        server = start([PY, str(ROOT / "bench" / "live_baselines.py"), "bare", "--port", str(port)], env, port)
        path = "/"
    else:
        server = start(daphne("bench.live_baselines:application", port), env, port)
        path = "/ws/bench/"
    try:
        with connect(f"ws://127.0.0.1:{port}{path}", origin=f"http://127.0.0.1:{port}", compression=None) as control:
            time.sleep(0.5)
            rss0 = rss_kb(server.pid)
            conn = players(cmd="connect", host="127.0.0.1", port=port, path=path, n=n, join=None)
            time.sleep(2.0)
            rss1 = rss_kb(server.pid)
            ticks, cpus = [], []
            for _q in range(k):
                cpu0 = cpu_seconds(server.pid)
                control.send(json.dumps({"go": True, "payload": frame}))
                ticks.append(players(cmd="expect", marker=QUESTION, timeout=180))
                cpus.append((cpu_seconds(server.pid) - cpu0) / n * 1e6)
                time.sleep(0.3)
        players(cmd="close")
    finally:
        stop(server)
    return {
        "connect": conn,
        "rss_kb_per_conn": (rss1 - rss0) / max(1, conn["connected"]),
        "starts": ticks,
        "cpu_us_per_msg": statistics.median(cpus),
    }


def med(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--players", type=int, action="append", help="one size (repeat for several)")
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--skip-baselines", action="store_true")
    args = parser.parse_args()
    sizes = args.players or SIZES
    raise_fd_limit()
    tag = secrets.token_hex(3)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-" + secrets.token_hex(16),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "REDIS_PREFIX": os.environ.get("REDIS_PREFIX", "hts-live-bench"),
        "THROTTLE_USER": "100000/min",
    }
    if not env.get("DATABASE_URL"):
        (ROOT / "var").mkdir(exist_ok=True)
        db = ROOT / "var" / f"bench-live-{tag}.sqlite3"
        env["SQLITE_PATH"] = str(db)
    setup_django(env)
    data = seed(args.questions, tag)
    layer = "redis-pubsub" if env.get("REDIS_URL") else "in-memory"
    print(f"live fan-out bench: sizes {sizes}, {args.questions} questions, channel layer {layer}", flush=True)
    players = Players()
    lines = []
    failure = None
    try:
        for n in sizes:
            ours = run_ours(n, args.questions, data, env, players)
            result = {"ours": ours}
            if not args.skip_baselines:
                result["bare"] = run_baseline("bare", n, args.questions, ours["frame"], env, players)
                result["groupsend"] = run_baseline("groupsend", n, args.questions, ours["frame"], env, players)
            lines.append(report(n, result))
    except BenchFailed as exc:
        failure = f"N = {n:,}: {exc}"
    finally:
        players.stop()
        if env.get("SQLITE_PATH"):
            for suffix in ("", "-wal", "-shm"):
                Path(env["SQLITE_PATH"] + suffix).unlink(missing_ok=True)
    for line in lines:
        print(json.dumps(line), flush=True)
    if failure:
        print(f"FAILED: {failure}", file=sys.stderr, flush=True)
        sys.exit(1)


def report(n: int, result: dict) -> dict:
    ours = result["ours"]
    p50, p99, mx = (med(ours["starts"], k) for k in ("p50_ms", "p99_ms", "max_ms"))
    bursts = ours["bursts"]
    acks_per_s = statistics.median(b["acked"] / b["span_s"] for b in bursts if b["span_s"] > 0)
    ack_p99 = med(bursts, "ack_p99_ms")
    c = ours["connect"]
    print(f"\nN = {n:,}")
    print(f"  ours      connect {c['connect_s']:.1f} s, join {c['join_s']:.1f} s", end="")
    print(f" ({c['connected']} ok, {c['failed']} failed)")
    print(f"            question start p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {mx:.1f} ms")
    print(f"            server CPU {ours['cpu_us_per_msg']:.1f} µs per delivered message", end="")
    print(f"; RSS {ours['rss_kb_per_conn']:.1f} KB/conn")
    ack_p50 = med(bursts, "ack_p50_ms")
    print(f"            answers: {acks_per_s:,.0f} acks/s, ack p50 {ack_p50:.0f} ms, p99 {ack_p99:.0f} ms")
    line = {
        "players": n,
        "start_p50_ms": round(p50, 1),
        "start_p99_ms": round(p99, 1),
        "bare_p99_ms": None,
        "groupsend_p99_ms": None,
        "ratio_to_bare": None,
        "speedup_vs_groupsend": None,
        "acks_per_s": round(acks_per_s),
        "ack_p99_ms": round(ack_p99, 1),
        "rss_kb_per_conn": round(ours["rss_kb_per_conn"], 1),
    }
    for name in ("bare", "groupsend"):
        if name not in result:
            continue
        base = result[name]
        b50, b99, bmax = (med(base["starts"], k) for k in ("p50_ms", "p99_ms", "max_ms"))
        line[f"{name}_p99_ms"] = round(b99, 1)
        print(
            f"  {name:<9} connect {base['connect']['connect_s']:.1f} s; start p50 {b50:.1f} ms, p99 {b99:.1f} ms, "
            f"max {bmax:.1f} ms; CPU {base['cpu_us_per_msg']:.1f} µs/msg; RSS {base['rss_kb_per_conn']:.1f} KB/conn"
        )
    if line["bare_p99_ms"]:
        line["ratio_to_bare"] = round(p99 / max(line["bare_p99_ms"], 0.1), 2)
        line["speedup_vs_groupsend"] = round(line["groupsend_p99_ms"] / max(p99, 0.1), 1)
        print(f"  ratios    p99 {line['ratio_to_bare']}× bare; {line['speedup_vs_groupsend']}× faster than group_send")
    return line


if __name__ == "__main__":
    main()
