"""Pupils of bench/resume.py: N websocket pupils in ONE process, who come back after a drop.

Each pupil opens ``/ws/contest/rounds/<id>/`` on one of the workers, starts (or resumes) its
attempt, then saves an answer every ``--interval`` seconds (jittered), one save in flight. As
the attempt page does, it also holds a ``/ws/time/`` socket (a burst of clock pings on each
open); with ``--board``, a ``/ws/leaderboard/rounds/<id>/`` socket too (the board page open in
another tab). These come back after a drop in the same way, and load the same workers. When
its socket drops it reconnects as the page's client does (``frontend/static/js/realtime.js``:
jittered exponential back-off, 0.25-0.5 s first, doubling to 15 s), through a stand-in for the
reverse proxy: a refused connection goes on at once to the next worker, as a proxy's next
upstream would. On the snapshot it re-sends the save that was in flight (or the next one).

Resume time = the first acknowledgement after the drop - the moment the drop was seen.

Driven over stdin/stdout by bench/resume.py: prints ``READY`` when every pupil is saving; after
``MARK`` on stdin, drops count; it then waits (bounded) until every dropped pupil has resumed
and prints one JSON object. Hand-written RFC 6455 framing (pings answered with their payload),
so the client costs little next to the servers. Loopback only.
"""

import argparse
import asyncio
import base64
import json
import os
import random
import struct
import sys
import time
from pathlib import Path

from wsframe import PONG, frame

MIN_BACKOFF_S = 0.5  # the same policy as realtime.js's backoffDelay
MAX_BACKOFF_S = 15.0
OPEN_TIMEOUT_S = 30.0


def backoff_delay(attempt: int) -> float:
    base = min(MAX_BACKOFF_S, MIN_BACKOFF_S * 2**attempt)
    return base / 2 + random.random() * base / 2


class Conn(asyncio.Protocol):
    """One websocket; text frames go to ``inbox``, and ``None`` when the connection ends."""

    def __init__(self, host: str, port: int, path: str, cookie: str):
        self.host, self.port, self.path, self.cookie = host, port, path, cookie
        self.buffer = b""
        self.upgraded = False
        self.transport = None
        self.opened = asyncio.get_running_loop().create_future()
        self.inbox: asyncio.Queue = asyncio.Queue()

    def connection_made(self, transport):
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            (
                f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: http://{self.host}:{self.port}\r\nCookie: sessionid={self.cookie}\r\n\r\n"
            ).encode()
        )

    def data_received(self, data: bytes):
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = self.buffer[: self.buffer.find(b"\r\n")]
            self.buffer = self.buffer[end + 4 :]
            if b" 101 " not in status:
                if not self.opened.done():
                    self.opened.set_exception(ConnectionError(status.decode(errors="replace")))
                self.transport.close()
                return
            self.upgraded = True
            if self.opened.done():  # the opener gave up waiting (its timeout): not used
                self.transport.close()
                return
            self.opened.set_result(True)
        buf = self.buffer
        while len(buf) >= 2:
            opcode, n, offset = buf[0] & 0x0F, buf[1] & 0x7F, 2
            if n == 126:
                if len(buf) < 4:
                    break
                n, offset = struct.unpack_from("!H", buf, 2)[0], 4
            elif n == 127:
                if len(buf) < 10:
                    break
                n, offset = struct.unpack_from("!Q", buf, 2)[0], 10
            if len(buf) < offset + n:
                break
            payload, buf = buf[offset : offset + n], buf[offset + n :]
            if opcode == 1:
                self.inbox.put_nowait(payload)
            elif opcode == 9:
                self.transport.write(frame(payload, PONG))
            elif opcode == 8:
                self.transport.close()
        self.buffer = buf

    def connection_lost(self, exc):
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionError("closed before upgrade"))
        self.inbox.put_nowait(None)

    def send(self, body: dict) -> None:
        self.transport.write(frame(json.dumps(body, separators=(",", ":")).encode()))


class Pupil:
    def __init__(self, bench, index: int, cookie: str):
        self.bench, self.index, self.cookie = bench, index, cookie
        self.home = index % len(bench.ports)  # the worker it starts on
        self.questions: list[dict] = []
        self.seq = 0
        self.ready = False
        self.dropped_at: float | None = None
        self.attempts = 0  # failed connection attempts since the drop
        self.backoff = 0  # realtime.js's ``attempt``: 0 again once a socket opens
        self.phases: dict[str, float] = {}  # since the drop: socket open, snapshot

    async def open(self, path: str | None = None) -> Conn:
        """Connect as the page does: a proxy's failover at once, back-off when all refuse."""
        loop = asyncio.get_running_loop()
        path = path or self.bench.path
        while True:
            for k in range(len(self.bench.ports)):
                port = self.bench.ports[(self.home + k) % len(self.bench.ports)]
                try:
                    _t, conn = await loop.create_connection(
                        lambda p=port: Conn("127.0.0.1", p, path, self.cookie), "127.0.0.1", port
                    )
                except OSError:
                    continue  # refused: the proxy tries the next worker
                try:
                    await asyncio.wait_for(conn.opened, OPEN_TIMEOUT_S)
                except (TimeoutError, OSError, ConnectionError):
                    conn.transport.abort()
                    break  # a worker took the connection but failed it: back off
                self.backoff = 0
                return conn
            self.attempts += 1
            self.bench.failed_opens += 1
            await asyncio.sleep(backoff_delay(self.backoff))
            self.backoff += 1

    async def side(self, path: str, pings: int) -> None:
        """A second socket of the page (clock, board): read it; come back after a drop."""
        await asyncio.sleep(random.random() * self.bench.ramp)
        dropped = False
        backoff = 0
        while self.bench.running:
            if dropped:
                await asyncio.sleep(backoff_delay(backoff))
                backoff += 1
            conn = await self.open(path)
            backoff = 0
            for i in range(pings):  # ClockSync's burst: a ping every 150 ms
                conn.send({"type": "ping", "id": i})
                await asyncio.sleep(0.15)
            while await conn.inbox.get() is not None:
                pass
            conn.transport.abort()
            dropped = True

    async def recv(self, conn: Conn, timeout: float = 60.0) -> dict | None:
        payload = await asyncio.wait_for(conn.inbox.get(), timeout)
        return None if payload is None else json.loads(payload)

    async def live(self) -> None:
        await asyncio.sleep(random.random() * self.bench.ramp)  # a class arrives over a few seconds
        while self.bench.running:
            if self.dropped_at is not None:
                await asyncio.sleep(backoff_delay(self.backoff))  # the page waits after a close
                self.backoff += 1
            conn = await self.open()
            if self.dropped_at is not None:
                self.phases["open"] = time.monotonic() - self.dropped_at
            try:
                await self.session(conn)
            except (TimeoutError, ConnectionError) as exc:
                self.bench.note_error(f"pupil {self.index}: {exc!r}")
            finally:
                conn.transport.abort()
            if self.bench.running and self.dropped_at is None:
                self.dropped_at = time.monotonic()
                self.bench.drops += int(self.bench.measuring)

    async def session(self, conn: Conn) -> None:
        snap = await self.recv(conn)
        if snap is None:
            return
        if snap.get("type") != "round.snapshot":
            raise ConnectionError(f"first message {snap.get('type')}: {snap.get('code')}")
        if self.dropped_at is not None:
            self.phases["snapshot"] = time.monotonic() - self.dropped_at
        if snap["attempt"] is None:
            conn.send({"type": "attempt.start", "ref": "start"})
            while snap is not None and not (snap.get("type") == "round.snapshot" and snap.get("attempt")):
                snap = await self.recv(conn)
            if snap is None:
                return
        self.questions = [q for q in snap["attempt"]["questions"] if q["type"] == "single" and q["choices"]]
        if not self.ready:
            self.ready = True
            self.bench.ready += 1
        while self.bench.running:
            q = self.questions[self.seq % len(self.questions)]
            choice = q["choices"][(self.seq // len(self.questions)) % len(q["choices"])]["id"]
            conn.send({"type": "answer.save", "ref": self.seq, "question": q["id"], "response": {"choice": choice}})
            while True:
                msg = await self.recv(conn)
                if msg is None:
                    return  # dropped with the save in flight: it is sent again after the resume
                if msg.get("type") in ("answer.saved", "error"):
                    break
            if msg["type"] == "error":
                self.bench.note_error(f"save: {msg.get('code')}")
                await asyncio.sleep(0.2)
                continue
            self.seq += 1
            if self.dropped_at is not None:
                self.bench.resumed(self, time.monotonic() - self.dropped_at)
                self.dropped_at = None
            self.bench.acks += int(self.bench.measuring)
            await asyncio.sleep(self.bench.interval * (0.5 + random.random()))


class Bench:
    def __init__(self, args, cookies: list[str]):
        self.ports = [int(p) for p in args.ports.split(",")]
        self.path = args.path
        self.sides = [("/ws/time/", 5)]
        if args.board:
            self.sides.append((args.path.replace("/ws/contest/", "/ws/leaderboard/"), 0))
        self.interval = args.interval
        self.ramp = args.students / 25  # seconds over which the pupils first arrive and start
        self.running = True
        self.measuring = False
        self.ready = self.drops = self.acks = self.failed_opens = 0
        self.resumes: list[float] = []
        self.attempts: list[int] = []
        self.errors: dict[str, int] = {}
        self.phases: dict[str, list[float]] = {}
        self.pupils = [Pupil(self, i, c) for i, c in enumerate(cookies)]

    def resumed(self, pupil: Pupil, seconds: float) -> None:
        if self.measuring:
            self.resumes.append(seconds)
            self.attempts.append(pupil.attempts)
            for phase, at in pupil.phases.items():
                self.phases.setdefault(phase, []).append(at)
        pupil.phases = {}
        pupil.attempts = 0

    def note_error(self, text: str) -> None:
        if self.measuring:
            key = text.split(":", 1)[-1].strip()[:80]
            self.errors[key] = self.errors.get(key, 0) + 1


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))], 3)


async def main(args) -> dict:
    cookies = json.loads(Path(args.cookies).read_text())[: args.students]
    bench = Bench(args, cookies)
    tasks = [asyncio.create_task(p.live()) for p in bench.pupils]
    tasks += [asyncio.create_task(p.side(path, pings)) for p in bench.pupils for path, pings in bench.sides]
    started = time.monotonic()
    start_timeout = bench.ramp * 3 + args.timeout
    while bench.ready < len(bench.pupils):
        if time.monotonic() - started > start_timeout:
            print(f"only {bench.ready} of {len(bench.pupils)} pupils started in {start_timeout:.0f} s", flush=True)
            os._exit(1)  # nothing to tidy: the sockets go with the process
        await asyncio.sleep(0.1)
    print(f"READY {len(bench.pupils)} pupils in {time.monotonic() - started:.1f} s", flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    if (await reader.readline()).strip() != b"MARK":
        raise SystemExit("expected MARK")
    bench.measuring = True
    bench.failed_opens = 0  # count the resume's failures, not the start's
    for p in bench.pupils:
        p.attempts = 0
    marked = time.monotonic()
    await asyncio.sleep(2.0)  # the kill comes right after MARK; its drops show within this
    while time.monotonic() - marked < args.timeout:
        if bench.drops and len(bench.resumes) >= bench.drops:
            break
        await asyncio.sleep(0.1)
        if int(time.monotonic() - marked) % 10 == 0:
            print(f"  … {len(bench.resumes)} of {bench.drops} resumed", file=sys.stderr, flush=True)
    window = time.monotonic() - marked
    bench.running = False
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "pupils": len(bench.pupils),
        "dropped": bench.drops,
        "resumed": len(bench.resumes),
        "resume_p50_s": pct(bench.resumes, 50),
        "resume_p90_s": pct(bench.resumes, 90),
        "resume_p99_s": pct(bench.resumes, 99),
        "resume_max_s": pct(bench.resumes, 100),
        "open_p50_s": pct(bench.phases.get("open", []), 50),
        "open_p99_s": pct(bench.phases.get("open", []), 99),
        "snapshot_p50_s": pct(bench.phases.get("snapshot", []), 50),
        "snapshot_p99_s": pct(bench.phases.get("snapshot", []), 99),
        "failed_opens": bench.failed_opens,
        "max_failed_opens_per_pupil": max(bench.attempts, default=0),
        "acks_in_window": bench.acks,
        "window_s": round(window, 1),
        "errors": bench.errors,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--ports", required=True, help="comma-separated worker ports")
    parser.add_argument("--path", required=True)
    parser.add_argument("--cookies", required=True)
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--board", action="store_true", help="each pupil also follows the round's board")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args))), flush=True)
