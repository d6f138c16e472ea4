"""Import jobs: a parsed file waiting for its preview to be confirmed, then committed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.jobs import Job
from schools.models.people import SchoolClass
from schools.models.regions import School


class ImportKind(models.TextChoices):
    REGIONS = "regions", _("Đơn vị hành chính")
    SCHOOLS = "schools", _("Danh sách trường")
    ROSTER = "roster", _("Danh sách lớp")


class ImportJob(Job):
    """One uploaded file. The file itself is not kept, only its data rows.

    A job with any row error is ``failed`` and can never be committed. A ``ready`` roster job is
    committed in steps (``import_advance``): password hashing is prepared chunk by chunk
    (``done`` of ``total`` new pupils) so the page can show progress, then every row is written
    in one transaction. Status words, progress and errors are ``core.jobs``'.
    """

    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    school_year = models.CharField(max_length=9, blank=True)
    is_demo = models.BooleanField(default=False)
    # The file's data rows as read ([row number, {column: value}]), so the commit can validate
    # again against the database as it is then, inside its transaction.
    source = models.JSONField(default=list)
    columns = models.JSONField(default=dict)
    rows = models.JSONField(default=list)  # the plan: one entry per valid row, with its action
    # ``errors`` (from Job) also keeps each message's "params": it is translated when read.
    summary = models.JSONField(default=dict)  # {"create": n, "update": n, "unchanged": n}
    warnings = models.JSONField(default=list)  # rows left out (footers, totals), same shape as errors
    # Roster: generated passwords and their hashes by row number, prepared in steps before
    # the commit (hashing is the slow part) and cleared once the students exist.
    passwords = models.JSONField(default=dict)
    classes = models.ManyToManyField(SchoolClass, blank=True, related_name="+")

    class Meta(Job.Meta):
        pass

    def __str__(self):
        return f"{self.kind} {self.file_name} ({self.status})"
