"""Import jobs: upload -> preview (an ImportJob holding the plan) -> confirm, atomically.

Nothing reaches the bank before ``import_confirm``; a plan with any error cannot be confirmed
(the user fixes the file and uploads it again), so an import is never half done.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.jobs import JobStatus, job_error
from quizbank.importing import Plan, plan_for_file
from quizbank.models import ImportJob, Question, Status, Topic
from quizbank.scope import Bank, can_approve


def _check_status(user, bank: Bank, status: str) -> None:
    if status not in (Status.DRAFT, Status.REVIEW, Status.APPROVED):
        raise ValidationFailed(fields={"status": [_("Trạng thái không hợp lệ.")]})
    if status == Status.APPROVED:
        probe = Question(owner_kind=bank.owner_kind, owner_school=bank.owner_school, owner_user=bank.owner_user)
        if not can_approve(user, probe):
            raise Forbidden(_("Bạn không có quyền duyệt câu hỏi trong ngân hàng này."), code="cannot_approve")


def import_preview(
    *, user, data: bytes, filename: str, bank: Bank, fmt: str = "auto", status: str = "draft"
) -> ImportJob:
    """Parse and validate a file; store the plan for the preview. Writes no question.

    The job is ``ready`` to confirm, or ``failed`` when the file has any error."""
    _check_status(user, bank, status)
    plan = plan_for_file(data, filename=filename, fmt=fmt, bank=bank)
    return ImportJob.objects.create(
        created_by=user,
        file_name=filename[:255],
        fmt=plan.format or fmt,
        owner_kind=bank.owner_kind,
        owner_school=bank.owner_school,
        owner_user=bank.owner_user,
        question_status=status,
        status=JobStatus.FAILED if plan.errors else JobStatus.READY,
        finished_at=timezone.now() if plan.errors else None,
        total=len(plan.new_items),
        preview=plan.items,
        errors=[job_error(e["message"], row=e["line"]) for e in plan.errors],
        skipped=plan.skipped,
    )


def apply_plan(*, user, plan: Plan, bank: Bank, status: str, include_duplicates: bool = False) -> list[Question]:
    """Create every item of ``plan`` in one transaction (duplicates skipped unless asked)."""
    from quizbank.services.questions import find_duplicates, question_create

    if plan.errors:
        raise Conflict(_("Tệp còn lỗi; hãy sửa tệp và tải lên lại."), code="import_has_errors")
    items = plan.items if include_duplicates else plan.new_items
    created = []
    topics = {t.pk: t for t in Topic.objects.all()}
    with transaction.atomic():
        # The bank may have changed since the preview: check duplicates again.
        existing = find_duplicates(bank=bank, fingerprints=[i["fingerprint"] for i in items])
        for item in items:
            if item["fingerprint"] in existing and not include_duplicates:
                continue
            created.append(
                question_create(
                    user=user,
                    bank=bank,
                    content=item["content"],
                    topics=[topics[t] for t in item["topics"] if t in topics],
                    tags=item["tags"],
                    status=status,
                    allow_duplicate=True,
                )
            )
    return created


def _job_bank(job: ImportJob) -> Bank:
    return Bank("", "", job.owner_kind, job.owner_school, job.owner_user)


@transaction.atomic
def import_confirm(*, user, job: ImportJob, include_duplicates: bool = False) -> ImportJob:
    """Save the previewed questions, all or nothing; a job is confirmed once."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != user.pk:
        raise NotFound()
    if job.status == JobStatus.FAILED:
        raise Conflict(_("Tệp còn lỗi; hãy sửa tệp và tải lên lại."), code="import_has_errors")
    if job.status != JobStatus.READY:
        raise Conflict(_("Lần nhập này đã được xác nhận hoặc đã huỷ."), code="import_closed")
    _check_status(user, _job_bank(job), job.question_status)
    plan = Plan(format=job.fmt, items=job.preview, errors=job.errors, skipped=job.skipped)
    created = apply_plan(
        user=user, plan=plan, bank=_job_bank(job), status=job.question_status, include_duplicates=include_duplicates
    )
    job.created_ids = [q.pk for q in created]
    job.status = JobStatus.DONE
    job.done = job.total = len(created)
    job.finished_at = timezone.now()
    job.save(update_fields=["created_ids", "status", "done", "total", "finished_at"])
    return job


@transaction.atomic
def import_cancel(*, user, job: ImportJob) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != user.pk:
        raise NotFound()
    if job.status == JobStatus.READY:  # a finished job (done, failed) stays as it is
        job.status = JobStatus.CANCELLED
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at"])
    return job
