from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """An uploaded question file, parsed and waiting for the user to confirm.

    ``preview`` holds the parsed questions and their duplicate flags; ``errors`` and ``skipped``
    hold what the parser reported, each with its line or row. Nothing reaches the bank until
    ``services.import_confirm`` saves every item in one transaction.
    """

    class State(models.TextChoices):
        PREVIEW = "preview", _("Chờ xác nhận")
        DONE = "done", _("Đã nhập")
        CANCELLED = "cancelled", _("Đã huỷ")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    fmt = models.CharField(_("Định dạng"), max_length=20)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEW)
    # Target bank, as in Question (owner_user set for a teacher's own bank).
    owner_kind = models.CharField(max_length=10)
    owner_school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, default="draft")  # status of the created questions
    preview = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    skipped = models.JSONField(default=list)
    created_ids = models.JSONField(default=list)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.state})"
