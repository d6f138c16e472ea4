"""Published rankings (immutable snapshots), review notes on attempts, export jobs."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict
from core.jobs import Job


class Kind(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    CLASS = "class", _("Lớp")
    SCHOOL = "school", _("Trường")
    COMMUNE = "commune", _("Xã/phường")
    PROVINCE = "province", _("Tỉnh/thành phố")


class Metric(models.TextChoices):
    PARTICIPANTS = "participants", _("Số người tham gia")
    PARTICIPATION_RATE = "participation_rate", _("Tỉ lệ tham gia")
    ATTEMPTS = "attempts", _("Số lượt thi")
    MEAN_SCORE = "mean_score", _("Điểm trung bình")
    TOP_K_MEAN = "top_k_mean", _("Điểm trung bình của k học sinh cao nhất")
    PRIZE_POINTS = "prize_points", _("Điểm thi đua (quy đổi giải)")


def _immutable() -> Conflict:
    return Conflict(_("Kết quả đã công bố không thể sửa hay xóa; hãy công bố một phiên bản mới."), code="immutable")


class ImmutableQuerySet(models.QuerySet):
    """Published data is never updated or deleted in bulk either."""

    def update(self, **kwargs):
        raise _immutable()

    def delete(self):
        raise _immutable()

    def _supersede(self, **kwargs) -> int:
        # The one change a publication allows: being marked as superseded by a newer version.
        allowed = {"superseded_by", "superseded_at"}
        if set(kwargs) - allowed:
            raise _immutable()
        return models.QuerySet.update(self.filter(superseded_at__isnull=True), **kwargs)


class Publication(models.Model):
    """One published version of one ranking (a kind, rounds, metric and filters: a series).

    Immutable once created: ``save`` refuses changes and ``delete`` refuses; a correction is a
    new version of the same series, and the older one stays visible, marked superseded.
    """

    contest = models.ForeignKey(
        "contest.Contest", on_delete=models.PROTECT, related_name="publications", verbose_name=_("Cuộc thi")
    )
    kind = models.CharField(_("Bảng xếp hạng"), max_length=12, choices=Kind.choices)
    rounds = models.ManyToManyField("contest.Round", related_name="publications", verbose_name=_("Vòng thi"))
    series = models.CharField(max_length=200)
    title = models.CharField(_("Tiêu đề"), max_length=300)
    metric = models.CharField(_("Tiêu chí"), max_length=20, choices=Metric.choices, blank=True)
    top_k = models.PositiveSmallIntegerField(null=True, blank=True)
    filters = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(_("Phiên bản"))
    published_at = models.DateTimeField(_("Công bố lúc"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    publisher_name = models.CharField(max_length=200)
    note = models.TextField(_("Ghi chú"), blank=True)
    summary = models.JSONField(default=dict, blank=True)  # totals and chart data at publication
    # Who issues its papers, as set on the contest at publication: organiser, place, signer.
    issuer = models.JSONField(default=dict, blank=True)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    superseded_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("Kết quả công bố")
        verbose_name_plural = _("Kết quả công bố")
        constraints = [models.UniqueConstraint(fields=["contest", "series", "version"], name="publication_version")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise _immutable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _immutable()

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def is_units(self) -> bool:
        return self.kind != Kind.INDIVIDUAL


def new_code() -> str:
    return secrets.token_urlsafe(9)


class PublishedRow(models.Model):
    """One line of a published ranking, with everything it showed, copied at publication.

    ``name`` is the full name (organisers' export); ``public_name`` is what public pages
    show (consent applied at publication). ``code`` identifies a certificate (its QR code).
    """

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="rows")
    position = models.PositiveIntegerField()
    rank = models.PositiveIntegerField()
    prize = models.CharField(max_length=80, blank=True)
    subject_id = models.BigIntegerField(null=True)  # student id or unit id, as it was
    name = models.CharField(max_length=300)
    public_name = models.CharField(max_length=300)
    class_name = models.CharField(max_length=60, blank=True)
    school_name = models.CharField(max_length=200, blank=True)
    commune_name = models.CharField(max_length=120, blank=True)
    values = models.JSONField(default=dict)
    code = models.CharField(max_length=20, unique=True, null=True, blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["publication", "position"]
        constraints = [models.UniqueConstraint(fields=["publication", "position"], name="published_row_position")]

    def __str__(self) -> str:
        return f"{self.publication_id}#{self.position} {self.public_name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise _immutable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _immutable()


class ReviewAction(models.TextChoices):
    FLAG = "flag", _("Đánh dấu cần xem xét")
    DISQUALIFY = "disqualify", _("Loại kết quả")
    REINSTATE = "reinstate", _("Khôi phục kết quả")


class AttemptReview(models.Model):
    """The organisers' review trail of an attempt: flags, disqualifications, reinstatements."""

    attempt = models.ForeignKey("contest.Attempt", on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField(max_length=12, choices=ReviewAction.choices)
    reason = models.CharField(_("Lý do"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.attempt_id}"


class ExportJob(Job):
    """A long export (certificates, the organisers' full export) built in the background.

    The page polls it for ``done``/``total`` (``core.jobs``) and then downloads ``content``.
    """

    kind = models.CharField(max_length=20)
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="exports")
    base_url = models.CharField(max_length=200, blank=True)  # for QR links built off the request
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True)

    class Meta(Job.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.kind} {self.publication_id} ({self.status})"
