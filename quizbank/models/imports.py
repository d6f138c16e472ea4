from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.jobs import Job


class ImportJob(Job):
    """An uploaded question file, parsed and waiting for the user to confirm.

    ``preview`` holds the parsed questions and their duplicate flags; ``errors`` (``core.jobs``'
    shape, ``row`` being the file's line) and ``skipped`` hold what the parser reported. A file
    with errors makes a ``failed`` job; a clean one is ``ready`` until the user confirms
    (``done``) or cancels (``cancelled``). Nothing reaches the bank until
    ``services.import_confirm`` saves every item in one transaction.
    """

    fmt = models.CharField(_("Định dạng"), max_length=20)
    # Target bank, as in Question (owner_user set for a teacher's own bank).
    owner_kind = models.CharField(max_length=10)
    owner_school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    question_status = models.CharField(max_length=10, default="draft")  # status of the created questions
    preview = models.JSONField(default=list)
    skipped = models.JSONField(default=list)
    created_ids = models.JSONField(default=list)

    class Meta(Job.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"
