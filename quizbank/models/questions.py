from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    REVIEW = "review", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    RETIRED = "retired", _("Ngừng dùng")


class OwnerKind(models.TextChoices):
    OFFICIAL = "official", _("Ngân hàng chính thức")
    SCHOOL = "school", _("Ngân hàng của trường")
    TEACHER = "teacher", _("Ngân hàng của giáo viên")


class QType(models.TextChoices):
    SINGLE = "single", _("Một lựa chọn")
    MULTIPLE = "multiple", _("Nhiều lựa chọn")
    TRUEFALSE = "truefalse", _("Đúng/Sai")
    SHORT = "short", _("Trả lời ngắn")
    NUMERIC = "numeric", _("Số")
    ORDERING = "ordering", _("Sắp xếp thứ tự")


class Difficulty(models.IntegerChoices):
    EASY = 1, _("Dễ")
    MEDIUM = 2, _("Trung bình")
    HARD = 3, _("Khó")


class Language(models.TextChoices):
    VI = "vi", _("Tiếng Việt")
    EN = "en", _("Tiếng Anh")


class Question(models.Model):
    """A question in a bank. Its content lives in versions; ``current_version`` is the one
    editors see and new rounds draw. Rounds keep a reference to the version they used.

    The ``fingerprint``, ``search_text`` and ``qtype``/``difficulty``/``language`` columns copy
    the current version so the bank can be filtered and searched without a join; the services
    keep them in step.
    """

    status = models.CharField(_("Trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    owner_kind = models.CharField(_("Ngân hàng"), max_length=10, choices=OwnerKind.choices)
    owner_school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("Trường")
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="owned_questions",
        verbose_name=_("Giáo viên sở hữu"),
    )
    # A teacher's question is private until shared with the teacher's school (owner_school).
    shared_with_school = models.BooleanField(_("Chia sẻ với trường"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_questions",
        verbose_name=_("Tác giả"),
    )
    topics = models.ManyToManyField("quizbank.Topic", blank=True, related_name="questions", verbose_name=_("Chủ đề"))
    tags = models.JSONField(_("Thẻ"), default=list, blank=True)
    current_version = models.ForeignKey(
        "quizbank.QuestionVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The other-language twin of a question (the demo bank pairs Vietnamese and English).
    translation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="translations"
    )
    # Stable key of seeded or imported content, so re-running a seed updates instead of duplicating.
    external_key = models.CharField(max_length=120, blank=True, default="", db_index=True)

    # Denormalised from the current version (see the class docstring).
    qtype = models.CharField(_("Loại"), max_length=10, choices=QType.choices, default=QType.SINGLE)
    difficulty = models.PositiveSmallIntegerField(_("Độ khó"), choices=Difficulty.choices, default=Difficulty.MEDIUM)
    language = models.CharField(_("Ngôn ngữ"), max_length=2, choices=Language.choices, default=Language.VI)
    fingerprint = models.CharField(max_length=40, blank=True, default="", db_index=True)
    search_text = models.TextField(blank=True, default="")

    # Statistics, recomputed from QuestionUsage rows by services.stats_record.
    times_used = models.PositiveIntegerField(_("Số lần dùng"), default=0)
    answer_count = models.PositiveIntegerField(_("Số lượt trả lời"), default=0)
    facility = models.FloatField(_("Tỉ lệ đúng"), null=True, blank=True)
    discrimination = models.FloatField(_("Độ phân biệt"), null=True, blank=True)
    avg_time_s = models.FloatField(_("Thời gian trung bình (giây)"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("Câu hỏi")
        verbose_name_plural = _("Câu hỏi")
        indexes = [
            models.Index(fields=["owner_kind", "status"]),
            models.Index(fields=["status", "difficulty", "language"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="quizbank_question_owner_shape",
                condition=(
                    Q(owner_kind="official", owner_user__isnull=True)
                    | Q(owner_kind="school", owner_school__isnull=False, owner_user__isnull=True)
                    | Q(owner_kind="teacher", owner_user__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        version = self.current_version
        stem = version.stem if version is not None else ""
        return f"#{self.pk} {stem[:60]}"


class QuestionVersion(models.Model):
    """One immutable-once-used state of a question's content.

    ``used`` is set when a round takes the version (services.version_for_round); from then on
    an edit creates a new version, so a round's results stay reproducible.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    qtype = models.CharField(_("Loại"), max_length=10, choices=QType.choices)
    stem = models.TextField(_("Đề bài (Markdown)"))
    # [{"id": str, "text": str (Markdown), "correct": bool, "weight": float}]
    choices = models.JSONField(_("Phương án"), default=list, blank=True)
    # short: {"accepted": [...], "ignore_accents": bool}; numeric: {"value", "tolerance"}; else {}
    answer = models.JSONField(_("Đáp án"), default=dict, blank=True)
    partial_credit = models.BooleanField(_("Tính điểm từng phần"), default=False)
    difficulty = models.PositiveSmallIntegerField(_("Độ khó"), choices=Difficulty.choices, default=Difficulty.MEDIUM)
    language = models.CharField(_("Ngôn ngữ"), max_length=2, choices=Language.choices, default=Language.VI)
    explanation = models.TextField(_("Giải thích"), blank=True, default="")
    source = models.CharField(_("Nguồn"), max_length=500, blank=True, default="")
    image = models.ImageField(_("Hình ảnh"), upload_to="quizbank/%Y/%m/", blank=True, default="")
    time_limit_s = models.PositiveIntegerField(_("Thời gian (giây)"), null=True, blank=True)
    fingerprint = models.CharField(max_length=40, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used = models.BooleanField(_("Đã dùng trong vòng thi"), default=False)

    class Meta:
        ordering = ["question_id", "number"]
        verbose_name = _("Phiên bản câu hỏi")
        verbose_name_plural = _("Phiên bản câu hỏi")
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="quizbank_version_number_unique"),
            models.CheckConstraint(
                name="quizbank_version_difficulty_range", condition=Q(difficulty__gte=1, difficulty__lte=3)
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.question_id} v{self.number}"

    def choice_ids(self) -> list[str]:
        return [c["id"] for c in self.choices]

    def correct_ids(self) -> list[str]:
        return [c["id"] for c in self.choices if c.get("correct")]


class QuestionUsage(models.Model):
    """What one round did with one version: the raw sums behind the question's statistics.

    One row per (version, round_key), so recording the same round twice replaces, never adds.
    """

    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="usages")
    round_key = models.CharField(max_length=80)
    responses = models.PositiveIntegerField(default=0)
    credit_sum = models.FloatField(default=0.0)  # sum of fractions (0..1) over responses
    time_sum_s = models.FloatField(default=0.0)
    timed_responses = models.PositiveIntegerField(default=0)
    discrimination = models.FloatField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "round_key"], name="quizbank_usage_round_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.version} @ {self.round_key}"
