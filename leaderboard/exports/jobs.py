"""Long exports as background jobs the page polls (the organisers' full export, certificates).

``export_start`` stores a job and, after the commit, runs it on a worker thread of this
process; ``export_run`` builds the file, saving ``done``/``total`` as it goes. A job whose
process died stays ``running``; the page then offers to start again.
"""

import logging
import threading

from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from core.jobs import JobStatus, job_error
from leaderboard.exports import pdf, tables
from leaderboard.models import ExportJob, Publication
from leaderboard.services import check_manages_contest

logger = logging.getLogger(__name__)

KINDS = ("full_xlsx", "certificates")


@transaction.atomic
def export_start(*, user, publication: Publication, kind: str, base_url: str, background: bool = True) -> ExportJob:
    check_manages_contest(user, publication.contest)
    if kind not in KINDS:
        raise ValidationFailed(fields={"kind": [_("Loại tệp xuất không hợp lệ.")]})
    total = publication.rows.count() if kind == "full_xlsx" else publication.rows.exclude(code=None).count()
    job = ExportJob.objects.create(
        kind=kind, publication=publication, created_by=user, total=total, base_url=base_url[:200]
    )
    if background:
        transaction.on_commit(lambda: threading.Thread(target=_thread, args=(job.pk,), daemon=True).start())
    return job


def _thread(job_id: int) -> None:
    try:
        export_run(job_id)
    finally:
        close_old_connections()


def export_run(job_id: int) -> ExportJob:
    job = ExportJob.objects.select_related("publication__contest").get(pk=job_id)
    ExportJob.objects.filter(pk=job_id).update(status=JobStatus.RUNNING)

    def progress(done, total):
        ExportJob.objects.filter(pk=job_id).update(done=done, total=total)

    pub = job.publication
    try:
        if job.kind == "full_xlsx":
            content = tables.xlsx_bytes(pub, full=True, progress=progress)
            name, ctype = tables.file_name(pub, "xlsx", full=True), tables.XLSX_TYPE
        else:
            content = pdf.certificates_pdf(pub, base_url=job.base_url, progress=progress)
            name, ctype = pdf.file_name(pub, "giay-chung-nhan"), "application/pdf"
    except Exception:
        logger.exception("export job %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, errors=[job_error(_("Không tạo được tệp."))], finished_at=timezone.now()
        )
        return ExportJob.objects.get(pk=job_id)
    ExportJob.objects.filter(pk=job_id).update(
        status=JobStatus.DONE,
        content=content,
        file_name=name,
        content_type=ctype,
        done=job.total,
        finished_at=timezone.now(),
    )
    return ExportJob.objects.get(pk=job_id)
