"""Create, edit, copy and delete questions.

An edit of a version that a round has used creates a new version; an edit of an unused
version changes it in place (no version churn while a draft is being written). Both lock the
question row, as ``version_for_round`` does, so an edit never races a round taking the
version.
"""

from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, ValidationFailed
from quizbank.content import CONTENT_FIELDS, clean_content, fingerprint, search_text
from quizbank.models import OwnerKind, Question, QuestionVersion, Status, Topic
from quizbank.scope import Bank, can_approve, can_delete, can_edit

MAX_TAGS = 20


def clean_tags(tags) -> list[str]:
    if tags is None:
        return []
    if isinstance(tags, str):
        tags = tags.split(",")
    out: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split())[:50]
        if tag and tag.casefold() not in {t.casefold() for t in out}:
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise ValidationFailed(fields={"tags": [_("Tối đa %(n)d thẻ.") % {"n": MAX_TAGS}]})
    return out


def bank_filter(bank: Bank) -> Q:
    if bank.owner_kind == OwnerKind.OFFICIAL:
        return Q(owner_kind=OwnerKind.OFFICIAL)
    if bank.owner_kind == OwnerKind.SCHOOL:
        return Q(owner_kind=OwnerKind.SCHOOL, owner_school=bank.owner_school)
    return Q(owner_kind=OwnerKind.TEACHER, owner_user=bank.owner_user)


def _question_bank(question: Question) -> Bank:
    return Bank("", "", question.owner_kind, question.owner_school, question.owner_user)


def find_duplicates(*, bank: Bank, fingerprints: list[str], exclude_id: int | None = None) -> dict[str, int]:
    """Map each fingerprint already in ``bank`` (retired questions excluded) to a question id."""
    qs = Question.objects.filter(bank_filter(bank), fingerprint__in=set(fingerprints)).exclude(status=Status.RETIRED)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return dict(qs.values_list("fingerprint", "pk"))


def _duplicate_error(existing_id: int) -> Conflict:
    error = Conflict(
        _("Đã có câu hỏi trùng (cùng đề bài và phương án) trong ngân hàng này: #%(id)d.") % {"id": existing_id},
        code="duplicate",
        fields={"stem": [_("Câu hỏi trùng với #%(id)d.") % {"id": existing_id}]},
    )
    error.duplicate_of = existing_id
    return error


def _resolve_topics(topics) -> list[Topic]:
    if topics is None:
        return []
    found = []
    for t in topics:
        if isinstance(t, Topic):
            found.append(t)
            continue
        lookup = {"pk": t} if isinstance(t, int) or str(t).isdigit() else {"slug": str(t)}
        topic = Topic.objects.filter(**lookup).first()
        if topic is None:
            raise ValidationFailed(fields={"topics": [_("Chủ đề không tồn tại: %(t)s.") % {"t": t}]})
        found.append(topic)
    return found


MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def clean_image(upload):
    """A real PNG/JPEG/GIF/WebP image of at most 2 MB, checked with Pillow; None passes."""
    if upload is None:
        return None
    from django import forms
    from django.core.exceptions import ValidationError

    message = _("Hình ảnh phải là tệp PNG, JPEG, GIF hoặc WebP, tối đa 2 MB.")
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationFailed(fields={"image": [message]})
    try:
        checked = forms.ImageField().to_python(upload)
    except ValidationError:
        raise ValidationFailed(fields={"image": [message]}) from None
    if getattr(checked.image, "format", None) not in IMAGE_FORMATS:
        raise ValidationFailed(fields={"image": [message]})
    upload.seek(0)
    return upload


def _apply_current(question: Question, version: QuestionVersion, tags: list[str]) -> None:
    question.current_version = version
    question.qtype = version.qtype
    question.difficulty = version.difficulty
    question.language = version.language
    question.fingerprint = version.fingerprint
    question.search_text = search_text(_content_of(version), tags)


def _content_of(version: QuestionVersion) -> dict:
    return {name: getattr(version, name) for name in CONTENT_FIELDS}


def _write_version(version: QuestionVersion, content: dict, *, image=None, clear_image: bool = False) -> None:
    for name in CONTENT_FIELDS:
        setattr(version, name, content[name])
    version.fingerprint = fingerprint(content)
    if image is not None:
        version.image = image
    elif clear_image:
        version.image = ""


@transaction.atomic
def question_create(
    *,
    user,
    bank: Bank,
    content: dict,
    topics=None,
    tags=None,
    status: str = Status.DRAFT,
    shared_with_school: bool = False,
    image=None,
    allow_duplicate: bool = False,
    external_key: str = "",
    translation_of: Question | None = None,
) -> Question:
    """Create a question with its first version in ``bank``.

    Raises ``Conflict`` (code "duplicate") if the bank holds a question with the same
    normalised stem and choices, unless ``allow_duplicate``. ``bank`` must come from
    ``scope.writable_banks(user)`` (or be built by trusted code such as the demo seed, which
    passes ``user=None``). Creating straight into "approved" needs the bank's approval right.
    """
    clean = clean_content(content)
    tags = clean_tags(tags)
    topic_objs = _resolve_topics(topics)
    if image is not None and not isinstance(image, FieldFile):
        image = clean_image(image)
    if status not in Status.values:
        raise ValidationFailed(fields={"status": [_("Trạng thái không hợp lệ.")]})
    if user is not None and status in (Status.APPROVED, Status.RETIRED):
        probe = Question(owner_kind=bank.owner_kind, owner_school=bank.owner_school, owner_user=bank.owner_user)
        if not can_approve(user, probe):
            raise Forbidden(_("Bạn không có quyền duyệt câu hỏi trong ngân hàng này."), code="cannot_approve")
    fp = fingerprint(clean)
    if not allow_duplicate:
        dup = find_duplicates(bank=bank, fingerprints=[fp])
        if dup:
            raise _duplicate_error(dup[fp])
    if shared_with_school and bank.owner_school is None:
        raise ValidationFailed(fields={"shared_with_school": [_("Bạn chưa thuộc một trường cụ thể để chia sẻ.")]})
    question = Question.objects.create(
        status=status,
        owner_kind=bank.owner_kind,
        owner_school=bank.owner_school,
        owner_user=bank.owner_user if bank.owner_kind == OwnerKind.TEACHER else None,
        shared_with_school=shared_with_school and bank.owner_kind == OwnerKind.TEACHER,
        author=user,
        tags=tags,
        external_key=external_key,
        translation_of=translation_of,
    )
    version = QuestionVersion(question=question, number=1, created_by=user)
    _write_version(version, clean, image=image)
    version.save()
    _apply_current(question, version, tags)
    question.save()
    question.topics.set(topic_objs)
    return question


@transaction.atomic
def question_update(
    *,
    user,
    question: Question,
    content: dict | None = None,
    topics=None,
    tags=None,
    shared_with_school: bool | None = None,
    image=None,
    clear_image: bool = False,
    allow_duplicate: bool = False,
) -> Question:
    """Edit a question. ``content`` may be partial: missing fields keep their current value.

    If the current version was used by a round, the edit creates version n+1 and the round keeps
    version n; otherwise the current version is changed in place.
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    if user is not None and not can_edit(user, question):  # None: trusted code (the demo seed)
        raise Forbidden()
    image = clean_image(image)
    current = QuestionVersion.objects.get(pk=question.current_version_id)
    tags = clean_tags(tags) if tags is not None else question.tags
    if content is not None or image is not None or clear_image:
        content = content or {}
        merged = _content_of(current) | {k: v for k, v in content.items() if k in CONTENT_FIELDS}
        clean = clean_content(merged, previous_ids=set(current.choice_ids()))
        changed = clean != _content_of(current) or image is not None or clear_image
        if changed:
            fp = fingerprint(clean)
            if not allow_duplicate and fp != current.fingerprint:
                dup = find_duplicates(bank=_question_bank(question), fingerprints=[fp], exclude_id=question.pk)
                if dup:
                    raise _duplicate_error(dup[fp])
            if current.used:
                version = QuestionVersion(
                    question=question, number=current.number + 1, created_by=user, image=current.image
                )
            else:
                version = current
            _write_version(version, clean, image=image, clear_image=clear_image)
            version.save()
            current = version
    if shared_with_school is not None:
        if shared_with_school and question.owner_school_id is None:
            raise ValidationFailed(fields={"shared_with_school": [_("Bạn chưa thuộc một trường cụ thể để chia sẻ.")]})
        question.shared_with_school = shared_with_school and question.owner_kind == OwnerKind.TEACHER
    question.tags = tags
    _apply_current(question, current, tags)
    question.save()
    if topics is not None:
        question.topics.set(_resolve_topics(topics))
    return question


@transaction.atomic
def question_delete(*, user, question: Question) -> None:
    """Delete a question no round has used; a used one can only be retired."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not can_delete(user, question):
        raise Forbidden()
    if question.versions.filter(used=True).exists():
        raise Conflict(_("Câu hỏi đã được dùng trong vòng thi; hãy chuyển sang “Ngừng dùng” thay vì xoá."), code="used")
    question.delete()


@transaction.atomic
def question_copy(*, user, question: Question, bank: Bank) -> Question:
    """Copy a visible question (e.g. shared by a colleague, or official) into ``bank`` as a draft."""
    version = question.current_version
    copy = question_create(
        user=user,
        bank=bank,
        content=_content_of(version),
        topics=list(question.topics.all()),
        tags=question.tags,
        status=Status.DRAFT,
        image=version.image or None,
    )
    copy.author = question.author or user
    copy.save(update_fields=["author"])
    return copy


@transaction.atomic
def question_propose_official(*, user, question: Question) -> Question:
    """Offer a question to the official bank: a copy there, "in review", for organisers to
    approve or send back. The proposer must be able to edit the original; a question already
    in the official bank (or a duplicate of one) cannot be proposed."""
    from quizbank.scope import is_bank_user

    if not is_bank_user(user) or not can_edit(user, question):
        raise Forbidden()
    if question.owner_kind == OwnerKind.OFFICIAL:
        raise Conflict(_("Câu hỏi đã ở ngân hàng chính thức."), code="already_official")
    version = question.current_version
    official = Bank("official", "", OwnerKind.OFFICIAL)
    copy = question_create(
        user=None,  # the proposer may not write to the official bank; this one copy is allowed
        bank=official,
        content=_content_of(version),
        topics=list(question.topics.all()),
        tags=question.tags,
        status=Status.REVIEW,
        image=version.image or None,
    )
    copy.author = question.author or user
    copy.save(update_fields=["author"])
    return copy
