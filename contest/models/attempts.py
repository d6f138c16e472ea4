"""Attempts (participations), answers and the append-only answer log.

Standings are stored on the attempt, as DMOJ stores them on the participation: a ranking is
one ordered query over ``counted`` attempts, never a computation per request.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contest.models.contests import Round


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Đang làm bài")
    SUBMITTED = "submitted", _("Đã nộp bài")
    EXPIRED = "expired", _("Hết giờ")


class Attempt(models.Model):
    """One student's attempt at a round.

    ``question_order`` (QuestionVersion ids) and ``choice_orders`` (``{version_id: [choice
    ids]}``) are fixed at start and never change, so a reload or another device shows the same
    paper. ``deadline`` = min(start + duration, round close), from the server clock.

    ``submitted_at`` is when the attempt ended by rule: the explicit submit, or the deadline
    for an attempt the clock closed. ``closed_at`` is when the server actually closed it.
    ``score``/``correct_count``/``answered_count`` always equal the totals of its answers.
    ``counted`` marks the attempt that counts for its student (attempts policy); ``rank`` and
    ``prediction_error`` are the final standings, stored when the round closes.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="contest_attempts"
    )
    student = models.ForeignKey(
        "schools.Student", null=True, blank=True, on_delete=models.SET_NULL, related_name="contest_attempts"
    )
    number = models.PositiveSmallIntegerField(default=1)
    question_order = models.JSONField(default=list)
    choice_orders = models.JSONField(default=dict)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS)
    score = models.FloatField(default=0.0)
    correct_count = models.PositiveIntegerField(default=0)
    answered_count = models.PositiveIntegerField(default=0)
    last_answer_at = models.DateTimeField(null=True, blank=True)
    time_used_ms = models.PositiveIntegerField(null=True, blank=True)
    prediction = models.PositiveIntegerField(null=True, blank=True)
    prediction_error = models.PositiveIntegerField(null=True, blank=True)
    counted = models.BooleanField(default=False)
    rank = models.PositiveIntegerField(null=True, blank=True)
    disqualified = models.BooleanField(default=False)
    disqualified_reason = models.CharField(max_length=300, blank=True, default="")
    # Where the pupil is and what they marked for review ("đánh dấu để xem lại"), so a reload
    # or a second device opens the same question with the same flags (services/navigation.py).
    position = models.PositiveSmallIntegerField(default=1)  # 1..N; N + 1 is the prediction
    flagged = models.JSONField(default=list, blank=True)  # QuestionVersion ids, in paper order
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "user", "number"]
        verbose_name = _("Lượt thi")
        verbose_name_plural = _("Lượt thi")
        indexes = [
            # The clock: in-progress attempts by deadline.
            models.Index(fields=["status", "deadline"], name="contest_attempt_due"),
            # Boards: counted attempts of a round in ranking order.
            models.Index(fields=["round", "counted", "-score", "time_used_ms"], name="contest_attempt_board"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["round", "user", "number"], name="contest_attempt_number"),
            # Two clicks on "start" (or two devices) cannot open two attempts at once.
            models.UniqueConstraint(
                fields=["round", "user"], condition=Q(status="in_progress"), name="contest_attempt_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"attempt {self.pk} (round {self.round_id}, user {self.user_id}, #{self.number})"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS


class Answer(models.Model):
    """The current response of one attempt to one question: one row per pair, by constraint.

    ``received_at`` is the server time of the last change; ``correct``/``fraction``/``points``
    are what grading gave it. They are stored, never shown before the reveal policy allows.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question_version = models.ForeignKey("quizbank.QuestionVersion", on_delete=models.PROTECT, related_name="+")
    response = models.JSONField()
    received_at = models.DateTimeField()
    correct = models.BooleanField(default=False)
    fraction = models.FloatField(default=0.0)
    points = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question_version"], name="contest_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"answer {self.attempt_id}/{self.question_version_id}"


class AnswerLog(models.Model):
    """Append-only: every change of a response, with the server time, kept for appeals.

    Services only ever insert here; nothing updates or deletes a row (except the cascade when
    a whole round is deleted).
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answer_log")
    question_version = models.ForeignKey("quizbank.QuestionVersion", on_delete=models.PROTECT, related_name="+")
    response = models.JSONField()
    received_at = models.DateTimeField(db_index=True)
    source = models.CharField(max_length=10, default="ws")  # "ws", "rest", "page"

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"log {self.attempt_id}/{self.question_version_id} @ {self.received_at:%Y-%m-%d %H:%M:%S}"
