"""The battery's data and its checks, through the real services and models.

Runs in the battery's own process, with Django set up on the battery's PostgreSQL and Redis
(``battery/run.py`` does that before importing this module).
"""

from __future__ import annotations

import datetime
import io
import time
from dataclasses import dataclass

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.utils import timezone

from contest import services
from contest.models import Answer, AnswerLog, Attempt, AttemptStatus, Round
from quizbank.services import question_create
from tests.contest import factories as cf
from tests.quizbank import factories as qf
from tests.schools import factories as sf


@dataclass
class RoundWorld:
    round_id: int
    cookies: list[str]

    @property
    def path(self) -> str:
        return f"/ws/contest/rounds/{self.round_id}/"


def session_cookie(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def round_world(*, pupils: int, questions: int = 10, duration_s: int = 15 * 60, closes_in_s: int = 7 * 86400):
    """A school with ``pupils`` signed-in pupils and an open window round of single-choice
    questions. Returns the round and one session cookie per pupil."""
    w = cf.world(students=0)
    classes = [sf.klass(w.school, f"9A{k + 1}", 9) for k in range(max(1, pupils // 40))]
    users = [
        sf.student(w.school, classes[i % len(classes)], full_name=f"Học Sinh Thử {i}", username=f"bt{w.school.pk}_{i}")
        for i in range(pupils)
    ]
    qs = [
        question_create(
            user=None,
            bank=qf.OFFICIAL,
            content=qf.single(stem=f"Câu hỏi kiểm thử {k + 1} của trường {w.school.pk}?"),
            status="approved",
        )
        for k in range(questions)
    ]
    now = timezone.now()
    r = cf.round_(
        w,
        questions_list=qs,
        duration_s=duration_s,
        opens_at=now - datetime.timedelta(minutes=5),
        closes_at=now + datetime.timedelta(seconds=closes_in_s),
    )
    return RoundWorld(round_id=r.pk, cookies=[session_cookie(s.user) for s in users])


def check_ledger(round_id: int, ledger) -> dict:
    """Every acknowledged answer is stored with that response (or with one sent after it that
    the pupil did not see acknowledged), and every acknowledged response is in the log."""
    stored = {
        (a, q): resp
        for a, q, resp in Answer.objects.filter(attempt__round_id=round_id).values_list(
            "attempt_id", "question_version_id", "response"
        )
    }
    logged = {
        (a, q, repr(resp))
        for a, q, resp in AnswerLog.objects.filter(attempt__round_id=round_id).values_list(
            "attempt_id", "question_version_id", "response"
        )
    }
    lost, wrong = [], []
    for key, response in ledger.acked.items():
        if key not in stored:
            lost.append(key)
        elif stored[key] != response and stored[key] not in ledger.pending.get(key, []):
            wrong.append((key, response, stored[key]))
    unlogged = [k for k, resp in ledger.acked_all if (k[0], k[1], repr(resp)) not in logged]
    return {
        "acks": len(ledger.acked_all),
        "acked_answers": len(ledger.acked),
        "stored": len(ledger.acked) - len(lost),
        "lost": len(lost),
        "wrong_response": len(wrong),
        "not_in_log": len(unlogged),
        "examples": (lost[:3], wrong[:3], unlogged[:3]),
    }


def attempts_by_status(round_id: int) -> dict:
    out = {}
    for status in Attempt.objects.filter(round_id=round_id).values_list("status", flat=True):
        out[status] = out.get(status, 0) + 1
    return out


def close_round_now(round_id: int) -> None:
    """End the round's window now (an organiser moving the close), so the clock finalizes it."""
    now = timezone.now()
    Round.objects.filter(pk=round_id).update(closes_at=now, opens_at=now - datetime.timedelta(hours=1))


def wait_finalized(round_id: int, timeout: float) -> float | None:
    """Seconds until the clock finalized the round, or None."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if Round.objects.filter(pk=round_id, finalized_at__isnull=False).exists():
            return time.monotonic() - began
        time.sleep(0.25)
    return None


def standings(round_id: int) -> dict[str, int]:
    """user id -> rank of the counted attempts: the database's final standings."""
    rows = Attempt.objects.filter(round_id=round_id, counted=True).values_list("user_id", "rank")
    return {str(user_id): rank for user_id, rank in rows}


def board_ranks(round_id: int) -> dict[str, int]:
    """user id -> rank on the round's live board ("all"), as stored in Redis."""
    from leaderboard.boards import get_backend
    from leaderboard.boards.sync import round_scope

    backend = get_backend()
    scope = round_scope(round_id)
    total = backend.read(scope, "all", round_scope=True, top=1).total
    rows = backend.read(scope, "all", round_scope=True, top=max(total, 1)).top
    return {row.member: row.rank for row in rows}


def rebuild_board(round_id: int) -> None:
    call_command("rebuild_boards", round=round_id, stdout=io.StringIO())


def rescore_unchanged(round_id: int) -> bool:
    counts = services.rescore_round(round_id=round_id)
    return counts["answers_changed"] == 0 and counts["attempts_changed"] == 0


def stuck_attempts(round_id: int) -> int:
    """Attempts still running after their deadline plus the grace and a clock pass."""
    late = timezone.now() - datetime.timedelta(seconds=5)
    return Attempt.objects.filter(round_id=round_id, status=AttemptStatus.IN_PROGRESS, deadline__lt=late).count()
