"""The import workflow: upload -> preview (per-row errors) -> commit, all or nothing.

``import_preview`` reads and validates the whole file and stores a job. A job with any error
is ``failed`` and can never be committed. ``import_advance`` moves a ready job on by one step: for rosters it
first hashes new pupils' passwords in chunks (so the page can show progress), then it
validates the rows again against the database as it is now and writes them in one
transaction. A job is committed at most once (the row is locked while it advances).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, Forbidden, ValidationFailed
from core.jobs import JobStatus
from schools import selectors
from schools.imports import regions, roster, schools_file
from schools.imports.files import Sheet, read_sheet
from schools.models import ImportJob, ImportKind, School
from schools.scope import scope_of
from schools.selectors import current_school_year

JOB_RETENTION = datetime.timedelta(days=7)
HANDLERS = {ImportKind.REGIONS: regions, ImportKind.SCHOOLS: schools_file, ImportKind.ROSTER: roster}


def check_school_year(value: str) -> str:
    value = (value or "").strip()
    parts = value.split("-")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 4 for p in parts) or int(parts[1]) != int(parts[0]) + 1:
        raise ValidationFailed(
            _("Năm học phải có dạng 2026-2027."), fields={"school_year": [_("Năm học phải có dạng 2026-2027.")]}
        )
    return value


def check_may_import(actor, kind: str, school: School | None) -> None:
    scope = scope_of(actor)
    if kind in (ImportKind.REGIONS, ImportKind.SCHOOLS):
        if not (scope.superuser or scope.region_ids):
            raise Forbidden(_("Chỉ ban tổ chức được nhập danh mục đơn vị và trường."))
    elif kind == ImportKind.ROSTER:
        if school is None:
            raise ValidationFailed(_("Hãy chọn trường."), fields={"school": [_("Hãy chọn trường.")]})
        if not selectors.user_manages_school(actor, school):
            raise Forbidden(_("Bạn không quản lý trường này."))
    else:
        raise ValidationFailed(
            _("Loại dữ liệu nhập không hợp lệ."), fields={"kind": [_("Loại dữ liệu nhập không hợp lệ.")]}
        )


def _summary(rows: list[dict]) -> dict:
    out = {"create": 0, "update": 0, "unchanged": 0}
    for row in rows:
        out[row["action"]] += 1
    return out


def _plan(job: ImportJob, sheet: Sheet, actor) -> None:
    handler = HANDLERS[job.kind]
    rows, errors = handler.plan(sheet, actor=actor, school=job.school, school_year=job.school_year, is_demo=job.is_demo)
    errors.sort(key=lambda e: e["row"])
    job.rows, job.errors, job.summary = rows, errors, _summary(rows)
    job.status = JobStatus.FAILED if errors else JobStatus.READY
    job.finished_at = timezone.now() if errors else None
    job.total = job.summary["create"] if job.kind == ImportKind.ROSTER else 0


@transaction.atomic
def import_preview(
    *,
    actor,
    kind: str,
    file_name: str,
    data: bytes,
    school: School | None = None,
    school_year: str = "",
    is_demo: bool = False,
) -> ImportJob:
    """Read and validate a whole file; store the plan and the per-row errors. Writes no data."""
    check_may_import(actor, kind, school)
    # Jobs hold pupils' data: keep an uploader's recent ones only (data minimisation).
    ImportJob.objects.filter(created_by=actor, created_at__lt=timezone.now() - JOB_RETENTION).delete()
    if kind == ImportKind.ROSTER:
        school_year = check_school_year(school_year or current_school_year())
    handler = HANDLERS[kind]
    sheet = read_sheet(file_name, data, handler.COLUMNS)
    job = ImportJob(
        kind=kind,
        created_by=actor,
        school=school if kind == ImportKind.ROSTER else None,
        school_year=school_year,
        file_name=file_name[:255],
        is_demo=is_demo,
        source=[[n, v] for n, v in sheet.rows],
        columns=sheet.columns,
        warnings=sheet.warnings,
    )
    _plan(job, sheet, actor)
    job.save()
    return job


@transaction.atomic
def import_advance(*, actor, job: ImportJob) -> ImportJob:
    """One step of a ready job: prepare a chunk, or commit everything. Idempotent once done."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)  # two tabs must not commit twice
    if job.status == JobStatus.DONE:
        return job
    if job.status == JobStatus.FAILED:
        raise Conflict(_("Tệp có lỗi nên không thể nhập. Hãy sửa tệp và tải lên lại."), code="import_invalid")
    handler = HANDLERS[job.kind]
    if job.kind == ImportKind.ROSTER and roster.needs_preparing(job):
        roster.prepare(job)
        job.status = JobStatus.RUNNING
        job.save(update_fields=["passwords", "done", "status"])
        return job

    # The database may have changed since the preview: validate again, inside this transaction.
    passwords = job.passwords
    _plan(job, Sheet(columns=job.columns, rows=[(n, v) for n, v in job.source]), actor)
    if job.status == JobStatus.FAILED:
        job.passwords = {}
        job.save()
        return job
    job.passwords = passwords
    if job.kind == ImportKind.ROSTER and roster.needs_preparing(job):
        job.status = JobStatus.RUNNING  # new pupils appeared since the preview: hash them first
        roster.prepare(job)
        job.save()
        return job
    handler.commit(job, actor=actor)
    job.status, job.passwords, job.source = JobStatus.DONE, {}, []
    job.done = job.total
    job.finished_at = timezone.now()
    job.save()
    return job


def import_run(*, actor, job: ImportJob, max_steps: int = 10_000) -> ImportJob:
    """Advance a job until it is done or failed (management commands, tests)."""
    for _step in range(max_steps):
        job = import_advance(actor=actor, job=job)
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return job
    raise RuntimeError("import did not finish")


def _translated(entries: list[dict]) -> list[dict]:
    return [
        {
            "row": e["row"],
            "column": e["column"],
            "message": gettext(e["message"]) % e["params"] if e["params"] else gettext(e["message"]),
        }
        for e in entries
    ]


def error_messages(job: ImportJob) -> list[dict]:
    """The job's errors with messages translated into the active language."""
    return _translated(job.errors)


def warning_messages(job: ImportJob) -> list[dict]:
    """Rows left out of the import (footers, totals), translated into the active language."""
    return _translated(job.warnings)
