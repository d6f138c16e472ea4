"""Saving answers: many saves, one transaction (the group commit of the answer write path).

``answers_save_batch`` is the only code that writes ``Answer`` and ``AnswerLog`` rows while an
attempt runs. The websocket batcher (``contest.writepath``) calls it with everything that
arrived in the last few milliseconds; the REST fallback calls it with one save. The caller
acknowledges a save only after this function has returned, i.e. after the commit.

Guarantees:
- one row per (attempt, question), by the database constraint and an upsert; the same save
  sent twice changes nothing the second time (no new log line, same score);
- concurrent saves of the same attempt are serialised by a row lock on the attempt, so a
  duplicate from another process sees the first one's row and scores once;
- the server clock decides: ``received_at`` is stamped by the server on receipt; a save
  received late (``contest.policies.is_late``) is refused. Client times are never read;
- every change of a response appends one ``AnswerLog`` row with its server time.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from contest import hooks
from contest.models import Attempt, AttemptStatus, Round, RoundMode
from contest.policies import AnswerPolicy, is_late, live_scoring
from contest.presentation import answer_feedback
from contest.services import answer_sql
from contest.services.grading import attempt_totals, format_for, score_response
from contest.versions import versions_by_id
from core.errors import Conflict, DomainError, NotFound, ValidationFailed

MAX_TEXT = 500  # characters of a short or numeric answer


@dataclass(frozen=True)
class SaveRequest:
    user_id: int
    attempt_id: int
    version_id: int
    response: object
    received_at: datetime.datetime  # server time of receipt, stamped by the caller
    source: str = "ws"


@dataclass(frozen=True)
class SaveResult:
    attempt_id: int
    version_id: int
    saved_at: datetime.datetime  # server time of the stored response
    changed: bool  # False when the same response was already stored
    feedback: dict  # what the reveal policy lets the student see now (may be empty)


_RESPONSE_KEYS = {
    "single": ("choice",),
    "truefalse": ("choice",),
    "multiple": ("choices",),
    "short": ("text",),
    "numeric": ("value",),
    "ordering": ("order",),
}


def normalise_response(version, response) -> dict:
    """Keep only the key(s) of the question type, so stored responses compare exactly."""
    if not isinstance(response, dict):
        raise ValidationFailed(_("Câu trả lời phải là một đối tượng JSON."), code="bad_response")
    out = {key: response[key] for key in _RESPONSE_KEYS[version.qtype] if key in response}
    text = out.get("text", out.get("value"))
    if isinstance(text, str) and len(text) > MAX_TEXT:
        raise ValidationFailed(_("Câu trả lời quá dài."), code="bad_response")
    return out


class _LockedAttempt:
    """The columns of a locked attempt the write path reads and writes (a model instance
    costs ~20x more to build, and a batch builds hundreds)."""

    FIELDS = (
        "pk", "user_id", "round_id", "status", "started_at", "deadline", "question_order", "score",
        "correct_count", "answered_count", "last_answer_at",
    )  # fmt: skip
    __slots__ = (*FIELDS, "round")

    def __init__(self, values, round_):
        for name, value in zip(self.FIELDS, values, strict=True):
            setattr(self, name, value)
        self.round = round_

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    def as_model(self) -> Attempt:
        """A model instance for the hooks (only built when a follower is told)."""
        attempt = Attempt(**{("id" if f == "pk" else f): getattr(self, f) for f in self.FIELDS})
        attempt.round = self.round
        return attempt


def _lock_attempts(ids: list[int]) -> dict[int, _LockedAttempt]:
    """Lock the attempts, in id order so two batches cannot deadlock: a concurrent save of the
    same attempt in another process waits here and then sees this batch's rows.

    Plain SQL: compiling the ORM query with hundreds of ids cost more than running it."""
    rows = answer_sql.lock_attempts(ids)
    rounds = {r.pk: r for r in Round.objects.filter(pk__in={row[2] for row in rows})}
    return {row[0]: _LockedAttempt(row, rounds[row[2]]) for row in rows}


def _check(request: SaveRequest, attempt) -> None:
    if attempt is None or attempt.user_id != request.user_id:
        raise NotFound(_("Không tìm thấy lượt thi."))
    if attempt.round.mode != RoundMode.WINDOW:
        # A live game's answers go through the game, which owns its clock.
        raise Conflict(_("Vòng thi này không làm bài theo khung giờ."), code="wrong_mode")
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise Conflict(_("Lượt thi đã kết thúc, không thể lưu thêm câu trả lời."), code="attempt_closed")
    if is_late(request.received_at, attempt.deadline):
        raise Conflict(_("Đã hết giờ làm bài: câu trả lời đến muộn không được ghi nhận."), code="late")
    if request.version_id not in attempt.question_order:  # a few dozen ids: a list scan is cheapest
        raise ValidationFailed(_("Câu hỏi không thuộc lượt thi này."), code="not_in_attempt")


def answers_save_batch(requests: list[SaveRequest]) -> list[SaveResult | DomainError]:
    """Save every valid request in one transaction; return a result or an error per request.

    Within a batch, a later save of the same (attempt, question) wins, as it would have in
    separate transactions. A refused request changes nothing and does not affect the others.
    Database errors propagate (nothing is committed, nothing may be acknowledged).
    """
    out: list[SaveResult | DomainError | None] = [None] * len(requests)
    if not requests:
        return []
    with transaction.atomic():
        attempts = _lock_attempts(sorted({r.attempt_id for r in requests}))
        versions = versions_by_id({r.version_id for r in requests if r.version_id in _order_of(attempts, r)})
        formats = {}
        accepted: dict[tuple[int, int], list[tuple[int, SaveRequest, object, float, dict]]] = {}
        for i, request in enumerate(requests):
            attempt = attempts.get(request.attempt_id)
            try:
                _check(request, attempt)
                version = versions[request.version_id]
                response = normalise_response(version, request.response)
                fmt = formats.get(attempt.round_id) or formats.setdefault(attempt.round_id, format_for(attempt.round))
                result, points = score_response(fmt, attempt.round, attempt, version, response, request.received_at)
            except DomainError as exc:
                out[i] = exc
                continue
            accepted.setdefault((attempt.pk, request.version_id), []).append((i, request, result, points, response))

        # The stored rows this batch may change (and, for formats whose score is not a plain
        # sum, every answer of the touched attempts, to recompute the total).
        touched_ids = {key[0] for key in accepted}
        full_ids = {aid for aid in touched_ids if not formats[attempts[aid].round_id].additive}
        stored: dict[int, dict[int, tuple]] = {aid: {} for aid in touched_ids}
        pairs = [key for key in accepted if key[0] not in full_ids]
        for aid, vid, *row in answer_sql.stored_answers(pairs=pairs, attempt_ids=full_ids):
            stored[aid][vid] = tuple(row)  # (response, correct, points, received_at, fraction)

        # Walk each question's saves in arrival order: each one that differs from the response
        # before it is a change (logged); the last one is what the row holds. A save received
        # before the stored response (another device's later save reached the database first,
        # through another batch or process) is logged as given, and the later one stands.
        rows, logs, changed_attempts = [], [], {}
        saved: dict[int, tuple[datetime.datetime, bool]] = {}
        for (aid, vid), entries in accepted.items():
            before = previous = stored[aid].get(vid)
            for i, request, result, points, response in entries:
                if previous is not None and previous[0] == response:
                    saved[i] = (previous[3], False)
                    continue
                logs.append((aid, vid, response, request.received_at, request.source))
                if previous is not None and request.received_at < previous[3]:
                    saved[i] = (request.received_at, False)
                    continue
                previous = (response, result.correct, points, request.received_at, result.fraction)
                saved[i] = (request.received_at, True)
            if previous is not before:
                rows.append((aid, vid, previous[0], previous[3], previous[1], previous[4], previous[2]))
                stored[aid][vid] = previous
                changed_attempts.setdefault(aid, []).append((before, previous))

        if rows or logs:
            changed = []
            for aid, changes in changed_attempts.items():
                attempt = attempts[aid]
                fmt = formats[attempt.round_id]
                if fmt.additive:
                    # The score is a sum of points: apply the differences (rows are locked).
                    for before, after in changes:
                        attempt.score = round(attempt.score + after[2] - (before[2] if before else 0.0), 4)
                        attempt.correct_count += int(after[1]) - int(bool(before and before[1]))
                        attempt.answered_count += 0 if before else 1
                else:
                    scored = {vid: (row[1], row[2]) for vid, row in stored[aid].items()}
                    attempt.score, attempt.correct_count, attempt.answered_count = attempt_totals(fmt, attempt, scored)
                newest = max(after[3] for _before, after in changes)
                attempt.last_answer_at = max(newest, attempt.last_answer_at) if attempt.last_answer_at else newest
                changed.append(attempt)
            answer_sql.write_changes(rows, logs, changed, policy=AnswerPolicy.LAST_WINS)
            hooks.attempts_changed((a.as_model() for a in changed if live_scoring(a.round)), source=hooks.ANSWER)

    for (aid, vid), entries in accepted.items():
        attempt = attempts[aid]
        for i, _request, result, points, _response in entries:
            feedback = answer_feedback(attempt.round, attempt, versions[vid], result.correct, points)
            out[i] = SaveResult(aid, vid, saved[i][0], saved[i][1], feedback)
    return out


def _order_of(attempts: dict, request: SaveRequest) -> list[int]:
    attempt = attempts.get(request.attempt_id)
    return attempt.question_order if attempt is not None else []


def answer_save(
    *, user, attempt_id: int, version_id: int, response, received_at: datetime.datetime, source: str = "rest"
) -> SaveResult:
    """Save one answer (the REST fallback and the attempt page); raises on refusal."""
    request = SaveRequest(user.pk, attempt_id, version_id, response, received_at, source)
    (result,) = answers_save_batch([request])
    if isinstance(result, DomainError):
        raise result
    return result
