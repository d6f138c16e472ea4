"""The faults of a contest night, each made on purpose against real processes.

Each fault function takes the battery's context, plays a round with pupils while it breaks
something, and returns a ``Report``: what it did, the figures, and the broken promises (an
empty ``failures`` list means the fault passed).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import connections

from battery import world
from battery.cluster import healthz
from battery.pupils import Ledger, Plan, probe_handshake, run_pupils


@dataclass
class Report:
    name: str
    did: str
    figures: dict = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def expect(self, ok: bool, message: str) -> None:
        if not ok:
            self.failures.append(message)


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 2)


def _play(cluster, rw: world.RoundWorld, *, background=None, **plan) -> Ledger:
    """Run the pupils to the end, with ``background(stop_event)`` making faults meanwhile."""
    ledger = Ledger()
    stop = threading.Event()
    thread = threading.Thread(target=background, args=(stop,), daemon=True) if background else None
    if thread:
        thread.start()
    try:
        asyncio.run(run_pupils(rw.cookies, Plan(path=rw.path, urls=cluster.ws_urls, **plan), ledger))
    finally:
        stop.set()
        if thread:
            thread.join(120)
    return ledger


def _ledger_figures(report: Report, rw: world.RoundWorld, ledger: Ledger) -> None:
    check = world.check_ledger(rw.round_id, ledger)
    report.figures.update({k: v for k, v in check.items() if k != "examples"})
    report.figures["errors"] = dict(ledger.errors)
    report.figures["reconnects"] = ledger.reconnects
    report.expect(check["lost"] == 0, f"{check['lost']} acknowledged answers lost: {check['examples'][0]}")
    report.expect(check["wrong_response"] == 0, f"{check['wrong_response']} stored with another response")
    report.expect(check["not_in_log"] == 0, f"{check['not_in_log']} acknowledged responses missing from the log")
    report.expect(not ledger.violations, f"{len(ledger.violations)} resume violations: {ledger.violations[:3]}")


def _finalize(report: Report, cluster, rw: world.RoundWorld, timeout: float = 30) -> None:
    world.close_round_now(rw.round_id)
    took = world.wait_finalized(rw.round_id, timeout)
    report.figures["finalized_after_s"] = None if took is None else round(took, 1)
    report.expect(took is not None, f"the clock did not finalize the round in {timeout:.0f} s")
    report.figures["attempts"] = world.attempts_by_status(rw.round_id)
    report.expect(world.stuck_attempts(rw.round_id) == 0, "attempts stuck in progress after their deadline")
    ranks = world.standings(rw.round_id)
    report.expect(bool(ranks) and all(r is not None for r in ranks.values()), "final standings not computed")
    report.expect(world.rescore_unchanged(rw.round_id), "re-scoring the stored rows changed the results")


def kill_workers(ctx) -> Report:
    """kill -9 a worker, again and again, while the pupils answer; it comes back each time."""
    cluster, n, kills = ctx.cluster, ctx.pupils, ctx.kills
    report = Report("kill", f"{n} pupils on 2 workers; SIGKILL a worker {kills} times, every {ctx.kill_every:g} s")
    rw = world.round_world(pupils=n)
    restarts = []

    def killer(stop):
        time.sleep(6)  # every pupil connected and answering
        for k in range(kills):
            if stop.is_set():
                return
            cluster.kill_worker(k % 2)
            restarts.append(cluster.start_worker(k % 2))
            stop.wait(ctx.kill_every)

    # The pupils think long enough for every kill to land while they answer: a kill cycle is
    # about the restart (a few seconds) plus the wait, spread over the 10 questions.
    think = (ctx.kill_every + 5) * kills / 10
    ledger = _play(cluster, rw, background=killer, think=(0.5 * think, 1.5 * think), deadline=120 + 30 * kills)
    report.figures["kills"] = len(restarts)
    report.figures["worker_restart_s_max"] = round(max(restarts), 1) if restarts else None
    report.figures["resume_p50_s"] = _pct(ledger.resumes, 0.5)
    report.figures["resume_p99_s"] = _pct(ledger.resumes, 0.99)
    report.figures["resume_max_s"] = round(max(ledger.resumes), 2) if ledger.resumes else None
    report.expect(len(restarts) == kills, f"only {len(restarts)} of {kills} kills ran before the pupils finished")
    report.expect(ledger.finished == n, f"{n - ledger.finished} pupils did not finish")
    submitted = world.attempts_by_status(rw.round_id).get("submitted", 0)
    report.expect(submitted == n, f"{n - submitted} attempts not submitted")
    _ledger_figures(report, rw, ledger)
    _finalize(report, cluster, rw)
    return report


def postgres_down(ctx) -> Report:
    """PostgreSQL stops under load for a while, then comes back."""
    cluster, pg, n, outage = ctx.cluster, ctx.pg, ctx.pupils, ctx.outage
    report = Report("postgres", f"{n} pupils answering; PostgreSQL stopped for {outage:g} s, then started")
    rw = world.round_world(pupils=n)
    seen = {"during": [], "after": None, "back_at": None, "probes": Counter()}

    async def probe_all():
        # A fresh socket to each worker, as a pupil reloading the page opens one: each must be
        # answered (``unavailable``, then close 4503), never dropped at the handshake.
        return await asyncio.gather(*(probe_handshake(u, rw.path, rw.cookies[0]) for u in cluster.ws_urls))

    def outage_maker(stop):
        time.sleep(5)
        pg.stop("immediate")
        began = seen["stopped_at"] = time.monotonic()
        while time.monotonic() - began < outage:
            seen["during"].append(tuple(healthz(u) for u in cluster.urls))
            seen["probes"].update(asyncio.run(probe_all()))
            time.sleep(1)
        pg.start()
        seen["back_at"] = time.monotonic()
        while time.monotonic() - seen["back_at"] < 60 and not stop.is_set():
            if all(healthz(u) == 200 for u in cluster.urls):
                seen["after"] = time.monotonic() - seen["back_at"]
                return
            time.sleep(0.5)

    ledger = _play(cluster, rw, background=outage_maker, think=(0.5, 2.5))
    connections.close_all()  # the battery's own connection died with the server
    during = [s for pair in seen["during"] for s in pair]
    report.figures["healthz_during"] = sorted(set(during))
    report.figures["healthz_200_after_s"] = None if seen["after"] is None else round(seen["after"], 1)
    if seen["back_at"] is not None:
        after = [t - seen["back_at"] for t in ledger.acks_at if t > seen["back_at"]]
        report.figures["first_ack_after_restart_s"] = round(min(after), 2) if after else None
    report.figures["save_failed"] = ledger.errors.get("save_failed", 0)
    probes = seen["probes"]
    unanswered = sum(k for outcome, k in probes.items() if outcome.startswith("unanswered"))
    report.figures["handshakes_during"] = dict(probes)
    report.figures["handshakes_unanswered"] = unanswered + ledger.unanswered
    # replies an open socket waited more than 20 s for (reported, not a broken promise: the
    # pupil reconnects and nothing acknowledged is lost)
    report.figures["reply_timeouts"] = ledger.errors.get("reply_timeout", 0)
    if ledger.unanswered_at and "stopped_at" in seen:
        # when each pupil's handshake gave up, in seconds after PostgreSQL stopped
        report.figures["unanswered_after_stop_s"] = [round(t - seen["stopped_at"], 1) for t in ledger.unanswered_at]
    report.expect(bool(probes), "no socket was opened during the outage")
    report.expect(
        unanswered + ledger.unanswered == 0,
        f"{unanswered + ledger.unanswered} handshakes got no answer (probes {unanswered}, pupils {ledger.unanswered})",
    )
    report.expect(bool(during) and all(s == 503 for s in during), f"/healthz during the outage: {sorted(set(during))}")
    report.expect(seen["after"] is not None, "/healthz did not come back to 200 within 60 s")
    report.expect(ledger.finished == n, f"{n - ledger.finished} pupils did not finish")
    _ledger_figures(report, rw, ledger)
    _finalize(report, cluster, rw)
    return report


def redis_down(ctx) -> Report:
    """Redis is flushed, then stopped for a while; boards are rebuilt from the database."""
    cluster, rd, n, outage = ctx.cluster, ctx.redis, ctx.pupils, ctx.outage
    report = Report("redis", f"{n} pupils answering; Redis flushed, then stopped for {outage:g} s")
    rw = world.round_world(pupils=n)
    seen = {"after": None}

    def outage_maker(stop):
        time.sleep(5)
        rd.flushall()
        time.sleep(2)
        rd.stop()
        time.sleep(outage)
        rd.start()
        back = time.monotonic()
        while time.monotonic() - back < 60 and not stop.is_set():
            if all(healthz(u) == 200 for u in cluster.urls):
                seen["after"] = time.monotonic() - back
                return
            time.sleep(0.5)

    ledger = _play(cluster, rw, background=outage_maker, think=(0.5, 2.5))
    report.figures["healthz_200_after_s"] = None if seen["after"] is None else round(seen["after"], 1)
    report.expect(seen["after"] is not None, "workers did not report healthy within 60 s of Redis returning")
    refused = {k: v for k, v in ledger.errors.items() if k.startswith(("handshake:", "first:"))}
    report.expect(not refused, f"sockets refused while Redis was down (DESIGN invariant 11): {refused}")
    report.expect(ledger.finished == n, f"{n - ledger.finished} pupils did not finish")
    _ledger_figures(report, rw, ledger)
    _finalize(report, cluster, rw)
    world.rebuild_board(rw.round_id)
    board, db = world.board_ranks(rw.round_id), world.standings(rw.round_id)
    report.figures["board_rows"] = len(board)
    report.expect(board == db, f"rebuilt board differs from the database: {len(board)} vs {len(db)} rows")
    return report


def clock_dead(ctx) -> Report:
    """Every browser closes mid-attempt and the clock dies; it is restarted after the close."""
    cluster, n = ctx.cluster, ctx.pupils
    duration = 20
    report = Report("clock", f"{n} pupils answer half the paper and leave; clock killed, restarted after the close")
    rw = world.round_world(pupils=n, duration_s=duration, closes_in_s=duration + 15)
    began = time.monotonic()
    ledger = _play(cluster, rw, think=(0.1, 0.4), submit=False, answer_share=0.5)
    cluster.kill_clock()
    # Past every deadline and the round's close, with nothing running that could close them.
    time.sleep(max(0.0, duration + 15 + 4 - (time.monotonic() - began)))
    report.figures["running_while_dead"] = world.attempts_by_status(rw.round_id).get("in_progress", 0)
    cluster.start_clock()
    took = world.wait_finalized(rw.round_id, 60)
    report.figures["finalized_after_restart_s"] = None if took is None else round(took, 1)
    report.expect(took is not None, "the restarted clock did not finalize the round in 60 s")
    statuses = world.attempts_by_status(rw.round_id)
    report.figures["attempts"] = statuses
    report.expect(statuses.get("expired", 0) == n, f"expected {n} expired attempts, got {statuses}")
    _ledger_figures(report, rw, ledger)
    ranks = world.standings(rw.round_id)
    report.expect(bool(ranks) and all(r is not None for r in ranks.values()), "final standings not computed")
    return report


FAULTS = {"kill": kill_workers, "postgres": postgres_down, "redis": redis_down, "clock": clock_dead}


def live_host_killed(ctx) -> Report:
    """A live game across both workers; the host's worker is killed mid-question."""
    from battery.players import Phone
    from live.models import LiveGame, LiveQuestion
    from tests.live.factories import CORRECT, WRONG, World
    from tests.live.helpers import HostApi

    cluster, n = ctx.cluster, min(ctx.pupils, 200)
    report = Report("live", f"{n} phones on 2 workers; the host's worker killed during question 2 of 3")
    w = World(questions=3, pupils=0)
    game = w.game(time_limit_s=15)
    host_a, host_b = HostApi(cluster.urls[0], w.teacher), HostApi(cluster.urls[1], w.teacher)
    phones = [Phone(i, game.pk, cluster.ws_urls) for i in range(n)]
    on_a = [p for p in phones if p.worker == 0]

    async def play():
        await asyncio.gather(*(p.join() for p in phones))
        await asyncio.to_thread(host_a.control, game.pk, "next")  # question 0, everyone answers
        await asyncio.gather(*(p.state("question", 0) for p in phones))
        for p in phones:
            await p.send({"type": "live.answer", "index": 0, "response": {"choice": CORRECT if p.index % 2 else WRONG}})
        await asyncio.gather(*(p.until(lambda m: m["type"] == "live.you" and m["index"] == 0) for p in phones))
        await asyncio.to_thread(host_a.control, game.pk, "next")  # leaderboard
        await asyncio.to_thread(host_a.control, game.pk, "next")  # question 1: a third never answers
        await asyncio.gather(*(p.state("question", 1) for p in phones))
        for p in phones[: 2 * n // 3]:
            await p.send({"type": "live.answer", "index": 1, "response": {"choice": CORRECT}})
        await asyncio.gather(*(p.until(lambda m: m["type"] == "live.answered") for p in phones[: 2 * n // 3]))
        await asyncio.to_thread(cluster.kill_worker, 0)
        killed_at = time.monotonic()
        back = await asyncio.gather(*(p.resume_elsewhere() for p in on_a))
        await asyncio.gather(*(p.state("results", 1, timeout=30) for p in phones))
        await asyncio.to_thread(host_b.control, game.pk, "next")  # leaderboard
        await asyncio.to_thread(host_b.control, game.pk, "end")
        await asyncio.gather(*(p.state("ended") for p in phones))
        for p in phones:
            await p.ws.close()
        return killed_at, back

    killed_at, back = asyncio.run(play())
    # What each phone on the killed worker was last told of its score before the kill.
    scores_before = {
        p.index: [m["score"] for t, m in p.frames if m["type"] == "live.you" and "score" in m and t < killed_at][-1]
        for p in on_a
    }
    restart = cluster.start_worker(0)
    report.figures["phones"] = n
    report.figures["resumed_on_other_worker"] = len(back)
    report.figures["resume_p50_s"] = _pct(back, 0.5)
    report.figures["resume_max_s"] = round(max(back), 2) if back else None
    report.figures["worker_restart_s"] = round(restart, 1)
    q1 = LiveQuestion.objects.get(game=game, index=1)
    lateness = (q1.closed_at - q1.deadline).total_seconds()
    report.figures["q1_close_reason"] = q1.close_reason
    report.figures["q1_closed_after_deadline_s"] = round(lateness, 2)
    report.expect(q1.close_reason == "deadline", f"question 2 closed by {q1.close_reason!r}, not its deadline")
    report.expect(lateness >= 0, "question 2 closed before its deadline")
    seen_twice = [p.index for p in phones if len(set(p.transitions())) != len(p.transitions())]
    report.expect(not seen_twice, f"{len(seen_twice)} phones saw a transition twice")
    closes = {p.close_time(1) is not None for p in phones}
    report.expect(closes == {True}, "some phones never saw question 2 close")
    kept = [p.index for p in on_a if p.score_after_resume == scores_before[p.index]]
    report.figures["resumed_kept_points"] = f"{len(kept)}/{len(on_a)}"
    report.expect(len(kept) == len(on_a), "resumed players lost points")
    report.expect(LiveGame.objects.get(pk=game.pk).phase == "ended", "the game did not end")
    return report


FAULTS["live"] = live_host_killed
