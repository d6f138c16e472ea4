"""Players of bench/live.py: N websocket phones in ONE process, driven over stdin/stdout.

Hand-written RFC 6455 framing over asyncio protocols, and no JSON decoding of broadcast frames
(the receive time is taken when the bytes arrive; ``server_now`` is read with a byte search
later), so the client's own cost per message stays small next to the server's. The same client
measures our server and both baselines.

Commands (one JSON object per line on stdin), each answered by one JSON line on stdout:
- ``{"cmd": "connect", "host", "port", "path", "n", "join": {...} | null, "concurrency"}``:
  open N sockets (and send ``live.join`` with a unique nickname); answers when all are open
  and, if joining, every ``live.joined`` and first ``live.state`` has arrived;
- ``{"cmd": "expect", "marker", "timeout"}``: wait until every socket has received a frame
  containing ``marker`` (bytes) since the last ``expect``; answers with the latencies
  (receive time - the frame's ``server_now``, ms) and the time the last one arrived;
- ``{"cmd": "answer", "index", "choice", "timeout"}``: every player sends ``live.answer`` at
  once; answers with the ack latencies and the burst's span;
- ``{"cmd": "close"}``: close every socket and exit.
Every answer also says how many sockets the server closed (``lost``) since the last ``connect``:
a bench whose phones were dropped must fail, not wait out its timeouts. Pings are answered
with a pong carrying the ping's payload (RFC 6455, 5.5.3): Daphne closes a socket whose pong
does not match once its ping timeout has passed. Loopback only.
"""

import asyncio
import base64
import json
import os
import re
import resource
import struct
import sys
import time

from wsframe import PONG, frame

SERVER_NOW = re.compile(rb'"server_now": ?(\d+)')


class Phone(asyncio.Protocol):
    __slots__ = (
        "acked",
        "buffer",
        "host",
        "inbox",
        "lost",
        "opened",
        "path",
        "port",
        "sent_at",
        "transport",
        "upgraded",
    )

    def __init__(self, host: str, port: int, path: str):
        self.host, self.port, self.path = host, port, path
        self.buffer = b""
        self.upgraded = False
        self.transport = None
        self.opened = asyncio.get_running_loop().create_future()
        self.inbox: list[tuple[float, bytes]] = []  # (receive time, payload) since the last check
        self.sent_at = 0.0
        self.acked = 0.0
        self.lost = False  # the server closed this socket

    def connection_made(self, transport):
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: http://{self.host}:{self.port}\r\n\r\n"
        )
        transport.write(request.encode())

    def data_received(self, data: bytes):
        now = time.time()
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
                return
            self.upgraded = True
            if not self.opened.done():
                self.opened.set_result(True)
        buf = self.buffer
        while len(buf) >= 2:
            opcode, n = buf[0] & 0x0F, buf[1] & 0x7F
            offset = 2
            if n == 126:
                if len(buf) < 4:
                    break
                n = struct.unpack_from("!H", buf, 2)[0]
                offset = 4
            elif n == 127:
                if len(buf) < 10:
                    break
                n = struct.unpack_from("!Q", buf, 2)[0]
                offset = 10
            if len(buf) < offset + n:
                break
            payload = buf[offset : offset + n]
            buf = buf[offset + n :]
            if opcode == 1:
                if payload.startswith(b'{"type":"live.answered"') or payload.startswith(b'{"type":"error"'):
                    self.acked = now
                self.inbox.append((now, payload))
            elif opcode == 9:
                self.transport.write(frame(payload, PONG))  # the ping's payload, echoed
        self.buffer = buf

    def connection_lost(self, exc):
        self.lost = True
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionError("closed"))

    def send(self, body: dict) -> None:
        self.transport.write(frame(json.dumps(body, separators=(",", ":")).encode()))


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


class Swarm:
    def __init__(self):
        self.phones: list[Phone] = []

    async def connect(self, cmd: dict) -> dict:
        loop = asyncio.get_running_loop()
        host, port, path, n = cmd["host"], cmd["port"], cmd["path"], cmd["n"]
        join = cmd.get("join")
        limit = asyncio.Semaphore(cmd.get("concurrency", 200))
        failed = 0
        started = time.perf_counter()

        async def one(i: int):
            nonlocal failed
            async with limit:
                try:
                    _t, phone = await loop.create_connection(lambda: Phone(host, port, path), host, port)
                    await asyncio.wait_for(phone.opened, 60)
                except (TimeoutError, OSError, ConnectionError):
                    failed += 1
                    return
                if join is not None:
                    phone.send({**join, "nickname": f"P{i:05d}", "ref": 1})
                self.phones.append(phone)

        await asyncio.gather(*(one(i) for i in range(n)))
        connected = time.perf_counter() - started
        joined_s = None
        if join is not None:
            await self._wait(lambda p: any(b"live.state" in m for _t, m in p.inbox), cmd.get("timeout", 180))
            joined_s = time.perf_counter() - started
            for p in self.phones:
                p.inbox.clear()
        return {"connected": len(self.phones), "failed": failed, "connect_s": connected, "join_s": joined_s}

    async def _wait(self, done, timeout: float) -> bool:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if all(done(p) for p in self.phones):
                return True
            if self.lost():
                return False  # a dropped phone never will: say so now, not at the timeout
            await asyncio.sleep(0.02)
        return False

    async def expect(self, cmd: dict) -> dict:
        # The marker with or without a space after the colon (json.dumps' default separators).
        markers = (cmd["marker"].encode(), cmd["marker"].replace('":', '": ').encode())

        def has(m: bytes) -> bool:
            return markers[0] in m or markers[1] in m

        complete = await self._wait(lambda p: any(has(m) for _t, m in p.inbox), cmd.get("timeout", 60))
        latencies, last = [], 0.0
        for p in self.phones:
            for t, m in p.inbox:
                if has(m):
                    found = SERVER_NOW.search(m)
                    if found:
                        latencies.append(t * 1000 - int(found.group(1)))
                    last = max(last, t)
                    break
            p.inbox.clear()
        return {
            "complete": complete,
            "received": len(latencies),
            "p50_ms": percentile(latencies, 50),
            "p99_ms": percentile(latencies, 99),
            "max_ms": max(latencies) if latencies else 0.0,
            "last_at": last,
        }

    async def answer(self, cmd: dict) -> dict:
        started = time.time()
        for p in self.phones:
            p.acked = 0.0
            p.sent_at = time.time()
            p.send({"type": "live.answer", "index": cmd["index"], "response": {"choice": cmd["choice"]}, "ref": 9})
        complete = await self._wait(lambda p: p.acked > 0, cmd.get("timeout", 120))
        acks = [(p.acked - p.sent_at) * 1000 for p in self.phones if p.acked]
        last = max((p.acked for p in self.phones if p.acked), default=started)
        for p in self.phones:
            p.inbox = [(t, m) for t, m in p.inbox if b"live.answered" not in m]
        return {
            "complete": complete,
            "acked": len(acks),
            "span_s": last - started,
            "ack_p50_ms": percentile(acks, 50),
            "ack_p99_ms": percentile(acks, 99),
        }

    def lost(self) -> int:
        return sum(1 for p in self.phones if p.lost)

    async def idle(self, cmd: dict) -> dict:
        """Stay connected without a word for ``seconds`` (pings are still answered)."""
        await asyncio.sleep(cmd["seconds"])
        return {"connected": len(self.phones) - self.lost()}

    def close(self):
        for p in self.phones:
            if p.transport is not None:
                p.transport.abort()
        self.phones = []


async def main():
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    swarm = Swarm()
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            break
        cmd = json.loads(line)
        if cmd["cmd"] == "close":
            swarm.close()
            print(json.dumps({"closed": True}), flush=True)
            continue
        if cmd["cmd"] == "exit":
            break
        result = await getattr(swarm, cmd["cmd"])(cmd)
        result["lost"] = swarm.lost()
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
