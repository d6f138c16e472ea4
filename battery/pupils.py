"""Pupils of the battery: websocket clients that take a window round and keep a ledger.

Each pupil connects to one of the workers, starts (or resumes) its attempt, and answers every
question with think time, changing some answers, then submits. It writes down every
acknowledgement it sees, so the battery can check afterwards that the database holds each one.
When its socket drops it reconnects to the next worker with a jittered back-off, as the page's
``Channel`` does, and checks that the resumed snapshot is the attempt it left: same id, same
question order, its acknowledged answers saved.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidMessage, InvalidStatus, WebSocketException

RETRY_CODES = {"save_failed", "unavailable", "internal", "server_error"}


@dataclass
class Ledger:
    """What the pupils saw: acknowledgements, errors and resume times."""

    # (attempt id, question version id) -> the last response acknowledged
    acked: dict = field(default_factory=dict)
    # (attempt id, question version id) -> responses sent after the last acknowledgement
    pending: dict = field(default_factory=dict)
    # every acknowledged response, for the answer-log check
    acked_all: list = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    violations: list = field(default_factory=list)
    resumes: list = field(default_factory=list)  # seconds from a drop to the resumed snapshot
    reconnects: int = 0
    # handshakes the server dropped without an answer (no HTTP response, or the socket closed
    # before any event): a worker that is up must answer every socket, if only with an error
    unanswered: int = 0
    unanswered_at: list = field(default_factory=list)  # monotonic time each of them gave up
    finished: int = 0
    acks_at: list = field(default_factory=list)  # monotonic time of each acknowledgement

    def sent(self, key, response) -> None:
        self.pending.setdefault(key, []).append(response)

    def ack(self, key, response) -> None:
        self.acked[key] = response
        self.acked_all.append((key, response))
        self.pending[key] = []
        self.acks_at.append(time.monotonic())


@dataclass
class Plan:
    path: str  # e.g. /ws/contest/rounds/7/
    urls: list[str]  # ws://127.0.0.1:port of each worker
    think: tuple[float, float] = (0.3, 1.5)
    submit: bool = True
    answer_share: float = 1.0  # answer this share of the questions, then stop (no submit)
    deadline: float = 300.0  # give up after this many seconds


class Pupil:
    def __init__(self, index: int, cookie: str, plan: Plan, ledger: Ledger):
        self.index, self.cookie, self.plan, self.ledger = index, cookie, plan, ledger
        self.rng = random.Random(index)
        self.attempt_id = None
        self.order: list[int] | None = None
        self.done: set[int] = set()
        self.dropped_at: float | None = None
        self.ref = 0
        self.worker = index % len(plan.urls)

    def _response(self, question: dict, k: int) -> dict:
        choices = question["choices"]
        return {"choice": choices[(self.index + k) % len(choices)]["id"]}

    async def _request(self, ws, message: dict, want: set[str]) -> dict:
        self.ref += 1
        message["ref"] = self.ref
        await ws.send(json.dumps(message))
        while True:
            reply = json.loads(await asyncio.wait_for(ws.recv(), 20))
            if reply.get("ref") == self.ref and (reply["type"] in want or reply["type"] == "error"):
                return reply

    def _check_resume(self, attempt: dict) -> None:
        if self.attempt_id is not None and attempt["id"] != self.attempt_id:
            self.ledger.violations.append(f"pupil {self.index}: resumed attempt {attempt['id']} != {self.attempt_id}")
        order = [q["id"] for q in attempt["questions"]]
        if self.order is not None and order != self.order:
            self.ledger.violations.append(f"pupil {self.index}: question order changed on resume")
        for q in attempt["questions"]:
            key = (attempt["id"], q["id"])
            if key in self.ledger.acked:
                allowed = [self.ledger.acked[key], *self.ledger.pending.get(key, [])]
                if q["response"] not in allowed:
                    self.ledger.violations.append(
                        f"pupil {self.index}: resumed q{q['id']} shows {q['response']}, acknowledged {allowed[0]}"
                    )
        self.attempt_id, self.order = attempt["id"], order

    async def _session(self, ws) -> bool:
        """One connection's worth of work; True when the pupil has finished."""
        snap = json.loads(await asyncio.wait_for(ws.recv(), 20))
        if snap.get("type") != "round.snapshot":
            self.ledger.errors[f"first:{snap.get('type')}:{snap.get('code')}"] += 1
            return False  # refused (4503): back off further, as the page does
        self.backoff = 0.2  # let in: the next drop starts the back-off again
        attempt = snap.get("attempt")
        if attempt is None or attempt.get("status") != "in_progress":
            if self.attempt_id is not None:
                # Closed meanwhile: by the clock, or by a submit whose reply the drop took.
                return True
            snap = await self._request(ws, {"type": "attempt.start"}, {"round.snapshot"})
            if snap["type"] == "error":
                self.ledger.errors[snap["code"]] += 1
                return snap["code"] not in RETRY_CODES
            attempt = snap["attempt"]
        self._check_resume(attempt)
        if self.dropped_at is not None:
            self.ledger.resumes.append(time.monotonic() - self.dropped_at)
            self.dropped_at = None
        questions = attempt["questions"]
        goal = max(1, round(len(questions) * self.plan.answer_share))
        for k, q in enumerate(questions[:goal]):
            if q["id"] in self.done:
                continue
            await asyncio.sleep(self.rng.uniform(*self.plan.think))
            # Every third question is answered twice: the second response must be the one kept.
            responses = [self._response(q, k), self._response(q, k + 1)] if k % 3 == 0 else [self._response(q, k)]
            for response in responses:
                while True:
                    key = (attempt["id"], q["id"])
                    self.ledger.sent(key, response)
                    reply = await self._request(
                        ws, {"type": "answer.save", "question": q["id"], "response": response}, {"answer.saved"}
                    )
                    if reply["type"] == "answer.saved":
                        self.ledger.ack(key, response)
                        break
                    self.ledger.errors[reply["code"]] += 1
                    if reply["code"] not in RETRY_CODES:
                        return True  # late, attempt_closed: nothing more to do
                    await asyncio.sleep(self.rng.uniform(0.2, 0.6))
            self.done.add(q["id"])
        if not self.plan.submit or goal < len(questions):
            return True
        reply = await self._request(ws, {"type": "attempt.submit"}, {"attempt.closed"})
        if reply["type"] == "attempt.closed":
            return True
        self.ledger.errors[f"submit:{reply['code']}"] += 1
        return reply["code"] not in RETRY_CODES

    async def run(self) -> None:
        started = time.monotonic()
        self.backoff = 0.2
        headers = {"Cookie": f"sessionid={self.cookie}"}
        while time.monotonic() - started < self.plan.deadline:
            url = self.plan.urls[self.worker]
            opened = False
            try:
                async with connect(
                    f"{url}{self.plan.path}",
                    additional_headers={**headers, "Origin": url.replace("ws://", "http://")},
                    open_timeout=10,
                    ping_interval=None,
                    max_size=2**22,
                ) as ws:
                    opened = True
                    if await self._session(ws):
                        self.ledger.finished += 1
                        return
            except (OSError, WebSocketException, TimeoutError, InvalidStatus) as exc:
                if opened:
                    # The handshake was answered; then a reply did not come within 20 s (a save
                    # behind a database outage, say) or the socket dropped: reconnect.
                    if isinstance(exc, TimeoutError):
                        self.ledger.errors["reply_timeout"] += 1
                elif isinstance(exc, InvalidStatus):
                    self.ledger.errors[f"handshake:{exc.response.status_code}"] += 1
                elif isinstance(exc, (InvalidMessage, TimeoutError)):  # no (valid) HTTP response
                    self.ledger.errors[f"handshake:{type(exc).__name__}"] += 1
                    self.ledger.unanswered += 1
                    self.ledger.unanswered_at.append(time.monotonic())
            if self.dropped_at is None:
                self.dropped_at = time.monotonic()
            self.ledger.reconnects += 1
            self.worker = (self.worker + 1) % len(self.plan.urls)
            await asyncio.sleep(self.backoff * self.rng.uniform(0.5, 1.5))
            self.backoff = min(self.backoff * 2, 3.0)
        self.ledger.violations.append(f"pupil {self.index}: did not finish in {self.plan.deadline:.0f} s")


async def run_pupils(cookies: list[str], plan: Plan, ledger: Ledger, *, ramp_s: float = 5.0) -> None:
    """Run every pupil at once, their starts spread over ``ramp_s`` seconds."""

    async def one(i, cookie):
        await asyncio.sleep(ramp_s * i / max(1, len(cookies)))
        await Pupil(i, cookie, plan, ledger).run()

    await asyncio.gather(*(one(i, c) for i, c in enumerate(cookies)))


async def probe_handshake(url: str, path: str, cookie: str, timeout: float = 10.0) -> str:
    """Open a fresh signed-in socket, as a pupil reloading the page does, and say how it was
    answered: ``first:<type>[:<code>]`` then ``close:<code>`` if it closed; or
    ``unanswered:<reason>`` when the handshake got no answer within ``timeout``."""
    headers = {"Cookie": f"sessionid={cookie}", "Origin": url.replace("ws://", "http://")}
    try:
        async with connect(
            f"{url}{path}", additional_headers=headers, open_timeout=timeout, ping_interval=None, max_size=2**22
        ) as ws:
            try:
                first = json.loads(await asyncio.wait_for(ws.recv(), timeout))
            except ConnectionClosed as exc:
                return f"unanswered:closed:{exc.rcvd.code if exc.rcvd else 'EOF'}"
            outcome = ":".join(str(x) for x in ("first", first.get("type"), first.get("code")) if x)
            if first.get("type") == "error":
                try:
                    await asyncio.wait_for(ws.recv(), timeout)
                except ConnectionClosed as exc:
                    outcome += f" close:{exc.rcvd.code if exc.rcvd else 'EOF'}"
            return outcome
    except InvalidStatus as exc:
        return f"handshake:{exc.response.status_code}"
    except (InvalidMessage, TimeoutError) as exc:
        return f"unanswered:{type(exc).__name__}"
    except OSError as exc:
        return f"refused:{type(exc).__name__}"
