"""Import jobs: a parsed file waiting for its preview to be confirmed, then committed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schools.models.people import SchoolClass
from schools.models.regions import School


class ImportKind(models.TextChoices):
    REGIONS = "regions", _("Đơn vị hành chính")
    SCHOOLS = "schools", _("Danh sách trường")
    ROSTER = "roster", _("Danh sách lớp")


class ImportStatus(models.TextChoices):
    INVALID = "invalid", _("Có lỗi")
    READY = "ready", _("Sẵn sàng nhập")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Đã nhập")


class ImportJob(models.Model):
    """One uploaded file. The file itself is not kept, only its data rows.

    A job with any row error is ``invalid`` and can never be committed. A ready roster job is
    committed in steps (``import_advance``): password hashing is prepared chunk by chunk so the
    page can show progress, then every row is written in one transaction.
    """

    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    school_year = models.CharField(max_length=9, blank=True)
    file_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=ImportStatus.choices)
    is_demo = models.BooleanField(default=False)
    # The file's data rows as read ([row number, {column: value}]), so the commit can validate
    # again against the database as it is then, inside its transaction.
    source = models.JSONField(default=list)
    columns = models.JSONField(default=dict)
    rows = models.JSONField(default=list)  # the plan: one entry per valid row, with its action
    errors = models.JSONField(default=list)  # [{"row": n, "column": str, "message": str}]
    summary = models.JSONField(default=dict)  # {"create": n, "update": n, "unchanged": n}
    warnings = models.JSONField(default=list)  # rows left out (footers, totals), same shape as errors
    prepared = models.PositiveIntegerField(default=0)
    total_to_prepare = models.PositiveIntegerField(default=0)
    # Roster: generated passwords and their hashes by row number, prepared in steps before
    # the commit (hashing is the slow part) and cleared once the students exist.
    passwords = models.JSONField(default=dict)
    classes = models.ManyToManyField(SchoolClass, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.file_name} ({self.status})"
