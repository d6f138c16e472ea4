"""One vocabulary for import and export jobs, in every app.

A job is a piece of work a user starts and then follows: a question file to import
(``quizbank.ImportJob``), a roster, school or region file (``schools.ImportJob``), a long
export (``leaderboard.ExportJob``). Each job model derives from :class:`Job`, so every one has
the same ``status`` words, the same progress counters ``done``/``total`` and the same error
list, and every API and page poller answers the same JSON (:func:`job_json`).

Statuses and what moves a job between them:

- ``queued``: accepted, waiting for a worker (an export before its thread starts);
- ``ready``: checked and waiting for the user to confirm (an import's preview);
- ``running``: being worked on; ``done`` of ``total`` steps are finished;
- ``done``: finished; the result is there (questions or pupils saved, a file to download);
- ``failed``: it cannot finish; ``errors`` says why (a file with bad rows, an export that broke).
  Nothing of a failed job was saved;
- ``cancelled``: the user stopped it before it did anything.

``errors`` is a list of ``{"row": int | None, "column": str, "message": str}``: ``row`` is the
line or row of the file (``None`` for the file as a whole), ``column`` the column's header or
``""``. Messages are stored as the app produced them; :func:`job_json` takes them already in
the reader's language.
"""

from collections.abc import Iterable
from typing import TypedDict

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    READY = "ready", _("Chờ xác nhận")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Có lỗi")
    CANCELLED = "cancelled", _("Đã huỷ")


# A job in one of these will not change again.
FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED})


class JobError(TypedDict):
    row: int | None
    column: str
    message: str


def job_error(message: str, *, row: int | None = None, column: str = "") -> JobError:
    """One entry of a job's ``errors`` list, in the shared shape."""
    return {"row": row, "column": column, "message": str(message)}


class Job(models.Model):
    """The fields every job model has. Subclasses add what their work needs (``kind``, the plan,
    the file built), never a second status or progress field."""

    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    # Progress: ``done`` of ``total`` steps (rows prepared, certificates drawn, ...).
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [JobError]

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        """0-100 for a progress bar: 100 once done, otherwise ``done`` of ``total``."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, int(100 * self.done / self.total))


def job_json(job: Job, *, errors: Iterable[JobError] | None = None, **extra) -> dict:
    """A job as every API and page poller sees it; ``extra`` adds the app's own fields.

    ``errors`` overrides the stored list when the app translates its messages on the way out.
    """
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(JobStatus(job.status).label),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "file_name": job.file_name,
        "errors": list(job.errors if errors is None else errors),
        **extra,
    }
