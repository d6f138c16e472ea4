"""The yearly contest and its rounds.

A round has a mode. ``window`` rounds are self-paced (open and close times, a per-attempt
duration, an attempts policy) and are built here; ``live`` rounds are host-paced and share the
same Round/Attempt/Answer tables, so nothing in these models assumes the window mode.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def national_digital_transformation_day(year: int | None = None) -> datetime.datetime:
    """00:00 on 10 October (Vietnam's National Digital Transformation Day), local time."""
    tz = timezone.get_default_timezone()
    year = year or timezone.localdate().year
    return datetime.datetime(year, 10, 10, tzinfo=tz)


def _current_year() -> int:
    return timezone.localdate().year


class Tiebreak(models.TextChoices):
    """How a ranking over several rounds (or the year) orders equal totals; the organiser chooses.

    One round is always ranked by its format's order (for ``contest``: score, prediction error,
    time used, submit time)."""

    PREDICTION = "prediction", _("Bằng tổng điểm: tổng sai số dự đoán nhỏ hơn, rồi tổng thời gian làm bài ít hơn")
    TIME = "time", _("Bằng tổng điểm: tổng thời gian làm bài ít hơn")


class Contest(models.Model):
    """The yearly campaign ("cuộc thi"): scope region, audience, rules and prizes.

    ``individual_prizes`` and ``unit_prizes`` are prize tiers in order, e.g.
    ``[{"name": "Giải Nhất", "count": 1}, {"name": "Giải Nhì", "count": 3}]``;
    ``prize_points`` weighs each tier for unit rankings (``{"Giải Nhất": 10, ...}``);
    ``prize_min_score`` is the least score that can win an individual prize.
    ``organiser_name``, ``issue_place``, ``signer_title`` and ``signer_name`` head and sign the
    certificates and the results PDF (see docs/certificates.md).
    """

    name = models.CharField(_("Tên cuộc thi"), max_length=200)
    year = models.PositiveSmallIntegerField(_("Năm"), default=_current_year)
    region = models.ForeignKey(
        "schools.Region", on_delete=models.PROTECT, related_name="contests", verbose_name=_("Phạm vi")
    )
    levels = models.JSONField(_("Cấp học"), default=list, blank=True)  # level codes; empty: all
    grades = models.JSONField(_("Khối lớp"), default=list, blank=True)  # ints 1-12; empty: all
    rules = models.TextField(_("Thể lệ"), blank=True, default="")
    individual_prizes = models.JSONField(_("Giải cá nhân"), default=list, blank=True)
    unit_prizes = models.JSONField(_("Giải tập thể"), default=list, blank=True)
    prize_points = models.JSONField(_("Điểm quy đổi giải"), default=dict, blank=True)
    # No individual prize below this score (blank: any score above zero).
    prize_min_score = models.FloatField(_("Điểm tối thiểu để đạt giải cá nhân"), null=True, blank=True)
    tiebreak = models.CharField(
        _("Xếp hạng chung nhiều vòng"), max_length=12, choices=Tiebreak.choices, default=Tiebreak.PREDICTION
    )
    # What certificates and the results PDF print as an official paper; copied at publication.
    organiser_name = models.CharField(_("Cơ quan tổ chức"), max_length=200, blank=True)
    issue_place = models.CharField(_("Địa danh ghi trên văn bản"), max_length=100, blank=True)
    signer_title = models.CharField(_("Chức vụ người ký"), max_length=150, blank=True)
    signer_name = models.CharField(_("Họ và tên người ký"), max_length=150, blank=True)
    opens_at = models.DateTimeField(_("Khai mạc"), default=national_digital_transformation_day)
    # Pupils whose accounts came from a roster import sign in first with the password printed
    # on their login card; with this set they must choose their own before anything else.
    force_password_change = models.BooleanField(_("Bắt buộc đổi mật khẩu in sẵn"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name", "id"]
        verbose_name = _("Cuộc thi")
        verbose_name_plural = _("Cuộc thi")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def prize_min_score_text(self) -> str:
        """The minimum score as a Vietnamese office writes it ("12,5"), or "" when unset."""
        from core.exports import number

        return "" if self.prize_min_score is None else number(self.prize_min_score, 2)


class RoundMode(models.TextChoices):
    WINDOW = "window", _("Theo khung giờ (tự làm bài)")
    LIVE = "live", _("Trực tiếp (người dẫn điều khiển)")


class AttemptsPolicy(models.TextChoices):
    ONE = "one", _("Một lượt")
    MAX_N = "max_n", _("Tối đa N lượt, tính lượt tốt nhất")
    UNLIMITED = "unlimited", _("Không giới hạn, tính lượt tốt nhất rồi sớm nhất")


class Selection(models.TextChoices):
    FIXED = "fixed", _("Danh sách cố định")
    RANDOM = "random", _("Bốc ngẫu nhiên cho từng học sinh")


class Reveal(models.IntegerChoices):
    """What a student may see; each level includes the ones below it."""

    NOTHING = 0, _("Không hiện gì")
    SCORE = 1, _("Điểm")
    CORRECTNESS = 2, _("Điểm và đúng/sai từng câu")
    ANSWERS = 3, _("Thêm đáp án đúng")
    EXPLANATIONS = 4, _("Thêm lời giải thích")


class PredictionKind(models.TextChoices):
    NONE = "", _("Không có câu dự đoán")
    ALL_CORRECT = "all_correct", _("Bao nhiêu người trả lời đúng tất cả các câu?")
    PARTICIPANTS = "participants", _("Bao nhiêu người tham gia?")
    QUESTION = "question", _("Bao nhiêu người trả lời đúng một câu hỏi được chọn?")


class Round(models.Model):
    """A round ("vòng", "tuần", "đợt") of a contest, or a standalone class game.

    Times are server times. ``finalized_at`` is set once, when the final standings have been
    computed after the close (``services.standings.round_finalize``).
    """

    contest = models.ForeignKey(
        Contest, null=True, blank=True, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("Cuộc thi")
    )
    # A standalone round (a class game) belongs to a school and its creator.
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("Trường")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A teacher's class round (homework): only the pupils of these classes play it. Empty: the
    # whole school (a class game), or the contest's audience.
    classes = models.ManyToManyField("schools.SchoolClass", blank=True, related_name="+", verbose_name=_("Lớp"))
    name = models.CharField(_("Tên vòng"), max_length=200)
    mode = models.CharField(_("Hình thức"), max_length=10, choices=RoundMode.choices, default=RoundMode.WINDOW)
    opens_at = models.DateTimeField(_("Mở lúc"), null=True, blank=True)
    closes_at = models.DateTimeField(_("Đóng lúc"), null=True, blank=True)
    duration_s = models.PositiveIntegerField(_("Thời gian làm bài (giây)"), default=15 * 60)
    attempts_policy = models.CharField(
        _("Số lượt thi"), max_length=10, choices=AttemptsPolicy.choices, default=AttemptsPolicy.ONE
    )
    max_attempts = models.PositiveSmallIntegerField(_("Số lượt tối đa"), null=True, blank=True)
    selection = models.CharField(_("Chọn câu hỏi"), max_length=10, choices=Selection.choices, default=Selection.FIXED)
    # Random draw: [{"topics": [slug, ...], "difficulty": 1-3 | null, "count": n}, ...]
    draw_spec = models.JSONField(_("Quy tắc bốc câu hỏi"), default=list, blank=True)
    draw_language = models.CharField(_("Ngôn ngữ câu hỏi"), max_length=2, blank=True, default="vi")
    shuffle_questions = models.BooleanField(_("Trộn thứ tự câu hỏi"), default=True)
    shuffle_choices = models.BooleanField(_("Trộn thứ tự phương án"), default=True)
    scoring_format = models.CharField(_("Cách tính điểm"), max_length=30, default="contest")
    scoring_config = models.JSONField(_("Cấu hình tính điểm"), default=dict, blank=True)
    reveal_during = models.PositiveSmallIntegerField(
        _("Trong khi làm bài"), choices=Reveal.choices, default=Reveal.NOTHING
    )
    reveal_after_attempt = models.PositiveSmallIntegerField(
        _("Ngay sau khi nộp bài"), choices=Reveal.choices, default=Reveal.SCORE
    )
    reveal_after_close = models.PositiveSmallIntegerField(
        _("Sau khi vòng thi đóng"), choices=Reveal.choices, default=Reveal.EXPLANATIONS
    )
    prediction_kind = models.CharField(
        _("Câu hỏi dự đoán"), max_length=20, choices=PredictionKind.choices, blank=True, default=""
    )
    # The question of PredictionKind.QUESTION: its position (1-based) in the round's fixed list.
    prediction_question = models.PositiveSmallIntegerField(_("Câu hỏi dự đoán hỏi về câu số"), null=True, blank=True)
    practice = models.BooleanField(_("Thi thử (không tính giải)"), default=False)
    board_freeze_at = models.DateTimeField(_("Đóng băng bảng xếp hạng lúc"), null=True, blank=True)
    # Set at close: the prediction's actual value and when the final standings were stored.
    prediction_actual = models.PositiveIntegerField(null=True, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["opens_at", "id"]
        verbose_name = _("Vòng thi")
        verbose_name_plural = _("Vòng thi")
        indexes = [models.Index(fields=["mode", "finalized_at", "closes_at"], name="contest_round_due")]
        constraints = [
            models.CheckConstraint(
                name="contest_round_window_times",
                condition=~Q(mode="window")
                | Q(opens_at__isnull=False, closes_at__isnull=False, closes_at__gt=models.F("opens_at")),
            ),
            models.CheckConstraint(
                name="contest_round_max_attempts",
                condition=~Q(attempts_policy="max_n") | Q(max_attempts__gte=1),
            ),
            models.CheckConstraint(name="contest_round_duration", condition=Q(duration_s__gte=10)),
        ]

    def __str__(self) -> str:
        return self.name

    # State, from the server clock. A round's times are the only truth; no stored "status".
    def is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at is not None and self.opens_at <= now < self.closes_at

    def has_closed(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.closes_at is not None and now >= self.closes_at

    def state(self, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        if self.finalized_at is not None:
            return "finalized"
        if self.opens_at is not None and now < self.opens_at:
            return "scheduled"
        if self.has_closed(now):
            return "closed"
        return "open"

    def prediction_text(self, question_order: list[int] | None = None) -> str:
        """The prediction question as a pupil reads it. For ``PredictionKind.QUESTION`` the
        question is named by its number in ``question_order`` (the pupil's own, shuffled,
        order) when given, else by its position in the round's list."""
        if self.prediction_kind != PredictionKind.QUESTION:
            return str(self.get_prediction_kind_display()) if self.prediction_kind else ""
        n = self.prediction_question
        if question_order:
            rq = self.round_questions.filter(position=n).values_list("question_version_id", flat=True).first()
            if rq in question_order:
                n = question_order.index(rq) + 1
        return _("Bao nhiêu người trả lời đúng câu %(n)s?") % {"n": n}

    @property
    def counts(self) -> bool:
        """Whether attempts of this round count for prizes ("thi thử" never does)."""
        return not self.practice


class RoundQuestion(models.Model):
    """A question of a fixed-list round, at its version taken when the round was set up."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_questions")
    question_version = models.ForeignKey("quizbank.QuestionVersion", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "question_version"], name="contest_roundquestion_unique"),
            models.UniqueConstraint(fields=["round", "position"], name="contest_roundquestion_position"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}#{self.position}"
