"""The review workflow (draft -> review -> approved -> retired) and bulk actions."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from quizbank.models import Question, Status, Topic
from quizbank.scope import can_approve, can_edit, can_view
from quizbank.services.questions import clean_tags, question_delete

# (from, to) -> the right needed: "edit" (authors) or "approve" (the bank's approvers).
TRANSITIONS = {
    (Status.DRAFT, Status.REVIEW): "edit",
    (Status.DRAFT, Status.APPROVED): "approve",
    (Status.DRAFT, Status.RETIRED): "approve",
    (Status.REVIEW, Status.APPROVED): "approve",
    (Status.REVIEW, Status.DRAFT): "edit",
    (Status.REVIEW, Status.RETIRED): "approve",
    (Status.APPROVED, Status.RETIRED): "approve",
    (Status.APPROVED, Status.DRAFT): "approve",
    (Status.RETIRED, Status.DRAFT): "edit",
    (Status.RETIRED, Status.APPROVED): "approve",
}


def _set_status(user, question: Question, status: str) -> None:
    if question.status == status:
        return
    need = TRANSITIONS.get((question.status, status))
    if need is None:
        raise Conflict(
            _("Không thể chuyển câu hỏi từ “%(a)s” sang “%(b)s”.")
            % {"a": Status(question.status).label, "b": Status(status).label},
            code="bad_transition",
        )
    allowed = can_approve(user, question) if need == "approve" else can_edit(user, question)
    if not allowed:
        raise Forbidden(_("Bạn không có quyền duyệt câu hỏi trong ngân hàng này."), code="cannot_approve")
    question.status = status
    question.save(update_fields=["status", "updated_at"])


@transaction.atomic
def question_set_status(*, user, question: Question, status: str) -> Question:
    if status not in Status.values:
        raise ValidationFailed(fields={"status": [_("Trạng thái không hợp lệ.")]})
    question = Question.objects.select_for_update().get(pk=question.pk)
    _set_status(user, question, status)
    return question


BULK_ACTIONS = ("status", "add_topic", "remove_topic", "add_tag", "share", "unshare", "delete")


@transaction.atomic
def bulk_action(*, user, ids: list[int], action: str, value=None) -> int:
    """Apply one action to many questions, all or nothing. Returns how many were changed.

    Every question must be visible to the user (else 404, as for one question) and the user
    must hold the right the action needs on each; one refusal undoes the whole batch.
    """
    if action not in BULK_ACTIONS:
        raise ValidationFailed(fields={"action": [_("Thao tác không hợp lệ.")]})
    if not ids or len(ids) > 500:
        raise ValidationFailed(fields={"ids": [_("Chọn từ 1 đến 500 câu hỏi.")]})
    questions = list(Question.objects.select_for_update().filter(pk__in=set(ids)).order_by("pk"))
    if len(questions) != len(set(ids)) or not all(can_view(user, q) for q in questions):
        raise NotFound()
    topic = None
    if action in ("add_topic", "remove_topic"):
        topic = Topic.objects.filter(slug=str(value)).first() or (
            Topic.objects.filter(pk=value).first() if str(value).isdigit() else None
        )
        if topic is None:
            raise ValidationFailed(fields={"value": [_("Chủ đề không tồn tại.")]})
    for q in questions:
        if action == "status":
            if value not in Status.values:
                raise ValidationFailed(fields={"value": [_("Trạng thái không hợp lệ.")]})
            _set_status(user, q, value)
            continue
        if action == "delete":
            question_delete(user=user, question=q)
            continue
        if not can_edit(user, q):
            raise Forbidden()
        if action == "add_topic":
            q.topics.add(topic)
        elif action == "remove_topic":
            q.topics.remove(topic)
        elif action == "add_tag":
            q.tags = clean_tags([*q.tags, *clean_tags(value)])
            q.save(update_fields=["tags", "updated_at"])
        else:
            if q.owner_kind != "teacher" or q.owner_school_id is None:
                raise ValidationFailed(
                    fields={"action": [_("Chỉ câu hỏi của giáo viên thuộc một trường mới chia sẻ được.")]}
                )
            q.shared_with_school = action == "share"
            q.save(update_fields=["shared_with_school", "updated_at"])
    return len(questions)
