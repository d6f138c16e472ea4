"""Load client of bench/answers.py: N websocket students in ONE process, closed loop.

Hand-written RFC 6455 framing over asyncio protocols (no websockets library), so the client's
own cost per message stays small next to the server's. Each student keeps one save in flight:
send ``answer.save``, wait for its ``answer.saved`` (or ``error``), send the next.

Run by bench/answers.py; prints progress lines and, last, one JSON object with the counts and
latencies measured inside the window. Loopback only.
"""

import argparse
import asyncio
import base64
import json
import os
import struct
import sys
import time
from pathlib import Path

from wsframe import frame


class Student(asyncio.Protocol):
    def __init__(self, bench, index: int, cookie: str | None):
        self.bench, self.index, self.cookie = bench, index, cookie
        self.buffer = b""
        self.upgraded = False
        self.transport = None
        self.opened = asyncio.get_running_loop().create_future()
        self.messages: asyncio.Queue = asyncio.Queue()
        self.questions: list[dict] = []
        self.sent_at = 0.0
        self.seq = 0

    def connection_made(self, transport):
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            f"GET {self.bench.path} HTTP/1.1",
            f"Host: {self.bench.host}:{self.bench.port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
            f"Origin: http://{self.bench.host}:{self.bench.port}",
        ]
        if self.cookie:
            lines.append(f"Cookie: sessionid={self.cookie}")
        transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())

    def data_received(self, data):
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = self.buffer[: self.buffer.find(b"\r\n")]
            self.buffer = self.buffer[end + 4 :]
            if b" 101 " not in status:
                self.opened.set_exception(ConnectionError(status.decode(errors="replace")))
                return
            self.upgraded = True
            self.opened.set_result(True)
        while len(self.buffer) >= 2:
            b1, b2 = self.buffer[0], self.buffer[1]
            n, pos = b2 & 0x7F, 2
            if n == 126:
                if len(self.buffer) < 4:
                    return
                n, pos = struct.unpack("!H", self.buffer[2:4])[0], 4
            elif n == 127:
                if len(self.buffer) < 10:
                    return
                n, pos = struct.unpack("!Q", self.buffer[2:10])[0], 10
            if len(self.buffer) < pos + n:
                return
            payload, self.buffer = self.buffer[pos : pos + n], self.buffer[pos + n :]
            opcode = b1 & 0x0F
            if opcode == 0x1:
                self.on_text(payload)
            elif opcode == 0x9:
                self.transport.write(struct.pack("!BB", 0x8A, 0x80 | len(payload)) + b"\0\0\0\0" + payload)
            elif opcode == 0x8:
                self.bench.closed += 1
                self.transport.close()

    def on_text(self, payload: bytes):
        if self.bench.running and self.sent_at:
            # Fast path of the measured loop: any reply to our one save in flight.
            msg_type = b'"answer.saved"' in payload or b'"type":"ack"' in payload
            if msg_type or b'"error"' in payload:
                self.bench.record(self, time.perf_counter() - self.sent_at, ok=msg_type, payload=payload)
                self.sent_at = 0.0
                self.send_next()
                return
        self.messages.put_nowait(json.loads(payload))

    def connection_lost(self, exc):
        if not self.opened.done():
            self.opened.set_exception(ConnectionError("closed before upgrade"))

    def send(self, message: dict):
        self.transport.write(frame(json.dumps(message, separators=(",", ":")).encode()))

    def send_next(self):
        if not self.bench.running:
            return
        q = self.questions[self.seq % len(self.questions)]
        self.seq += 1
        self.sent_at = time.perf_counter()
        self.send({"type": "answer.save", "ref": self.seq, "question": q["id"], "response": self.response(q)})

    def response(self, q: dict) -> dict:
        """A different choice each time round, so every save is a real change."""
        ids = [c["id"] for c in q.get("choices", [])] or ["a", "b", "c", "d"]
        pick = ids[(self.seq // max(1, len(self.questions))) % len(ids)]
        if q.get("type") == "multiple":
            return {"choices": [pick]}
        return {"choice": pick}

    async def prepare(self, mode: str):
        """Read the snapshot, start an attempt if needed, and learn the paper."""
        if mode == "bare":
            self.questions = [{"id": i, "type": "single", "choices": [{"id": c} for c in "abcd"]} for i in range(20)]
            return
        snap = await asyncio.wait_for(self.messages.get(), 30)
        if snap.get("type") != "round.snapshot":
            raise RuntimeError(f"unexpected first message: {snap}")
        attempt = snap["attempt"]
        if attempt is None:
            self.send({"type": "attempt.start", "ref": "start"})
            snap = await asyncio.wait_for(self.messages.get(), 60)
            attempt = snap.get("attempt")
            if not attempt:
                raise RuntimeError(f"could not start: {snap}")
        self.questions = [
            q for q in attempt["questions"] if q["type"] in ("single", "multiple", "truefalse") and q["choices"]
        ]


class Bench:
    def __init__(self, args):
        self.host, self.port, self.path, self.mode = "127.0.0.1", args.port, args.path, args.mode
        self.running = False
        self.measuring = False
        self.acks = self.errors = self.closed = 0
        self.latencies: list[float] = []
        self.error_samples: list[str] = []

    def record(self, student, seconds: float, *, ok: bool, payload: bytes):
        if not self.measuring:
            return
        if ok:
            self.acks += 1
            self.latencies.append(seconds)
        else:
            self.errors += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(payload.decode(errors="replace")[:200])


async def connect_all(bench: Bench, cookies: list[str | None], concurrency: int) -> list[Student]:
    loop = asyncio.get_running_loop()
    sem = asyncio.Semaphore(concurrency)
    students: list[Student | None] = [None] * len(cookies)

    async def one(i: int):
        async with sem:
            _transport, proto = await loop.create_connection(
                lambda: Student(bench, i, cookies[i]), bench.host, bench.port
            )
            await asyncio.wait_for(proto.opened, 60)
            await proto.prepare(bench.mode)
            students[i] = proto

    results = await asyncio.gather(*(one(i) for i in range(len(cookies))), return_exceptions=True)
    failures = [r for r in results if isinstance(r, Exception)]
    if failures:
        print(f"connect failures: {len(failures)}; first: {failures[0]!r}", flush=True)
    return [s for s in students if s is not None]


async def main(args) -> dict:
    bench = Bench(args)
    cookies = json.loads(Path(args.cookies).read_text()) if args.cookies else [None] * args.students
    t0 = time.perf_counter()
    students = await connect_all(bench, cookies[: args.students], args.concurrency)
    connect_s = time.perf_counter() - t0
    print(f"connected {len(students)} in {connect_s:.1f} s", flush=True)
    bench.running = True
    for s in students:
        s.send_next()
    await asyncio.sleep(args.warmup)
    bench.measuring = True
    print("WINDOW_START", flush=True)
    start = time.perf_counter()
    await asyncio.sleep(args.duration)
    elapsed = time.perf_counter() - start
    bench.measuring = False
    print("WINDOW_END", flush=True)
    bench.running = False
    await asyncio.sleep(0.5)
    for s in students:
        s.transport.close()
    lat = sorted(bench.latencies)

    def pct(p):
        return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 1) if lat else None

    return {
        "connected": len(students),
        "connect_s": round(connect_s, 2),
        "window_s": round(elapsed, 3),
        "acks": bench.acks,
        "errors": bench.errors,
        "error_samples": bench.error_samples,
        "closed": bench.closed,
        "acks_per_s": round(bench.acks / elapsed, 1),
        "ack_p50_ms": pct(0.50),
        "ack_p99_ms": pct(0.99),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/")
    parser.add_argument("--mode", choices=["channels", "bare"], default="channels")
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--cookies", default="")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args()
    result = asyncio.run(asyncio.wait_for(main(args), timeout=args.warmup + args.duration + 300))
    print(json.dumps(result), flush=True)
    sys.exit(0)
