"""Who may see, edit and approve which question; the banks a user may write to.

- The official bank: organisers see and edit everything in it; other staff see only its
  approved questions (to pick them into rounds). Only organisers approve into it.
- A school bank: the school's staff see it; its coordinators (and organisers over the
  school) edit and approve; a teacher of the school may edit the questions they wrote.
- A teacher's bank: private to its owner, who edits and approves; shared with the school it
  becomes readable (not editable) by the school's staff.
Students and anonymous users see no bank at all: it holds the answers.
Foreign questions answer 404 (core.roles.check_scope), so their existence is not revealed.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.roles import STAFF_ROLES, Role, has_role, register_scope
from quizbank.models import OwnerKind, Question, Status


def _scope(user):
    from schools.scope import scope_of

    return scope_of(user)


def is_bank_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and has_role(user, *STAFF_ROLES))


def _manages_school(user, school_id) -> bool:
    scope = _scope(user)
    if scope.superuser:
        return True
    if school_id in scope.staff_school_ids:
        return True
    if not scope.region_ids or school_id is None:
        return False
    from schools.models import School

    return School.objects.filter(pk=school_id, commune_id__in=scope.region_ids).exists()


def _coordinates_school(user, school_id) -> bool:
    scope = _scope(user)
    if scope.superuser or school_id in scope.coordinated_school_ids:
        return True
    if not scope.region_ids or school_id is None:
        return False
    from schools.models import School

    return School.objects.filter(pk=school_id, commune_id__in=scope.region_ids).exists()


def can_view(user, question: Question) -> bool:
    if not is_bank_user(user):
        return False
    if user.is_superuser or question.owner_user_id == user.pk:
        return True
    if question.owner_kind == OwnerKind.OFFICIAL:
        return has_role(user, Role.ORGANISER) or question.status == Status.APPROVED
    if question.owner_kind == OwnerKind.SCHOOL:
        return _manages_school(user, question.owner_school_id)
    return question.shared_with_school and _manages_school(user, question.owner_school_id)


def can_edit(user, question: Question) -> bool:
    if not is_bank_user(user):
        return False
    if user.is_superuser:
        return True
    if question.owner_kind == OwnerKind.OFFICIAL:
        return has_role(user, Role.ORGANISER)
    if question.owner_kind == OwnerKind.SCHOOL:
        if _coordinates_school(user, question.owner_school_id):
            return True
        return question.author_id == user.pk and _manages_school(user, question.owner_school_id)
    return question.owner_user_id == user.pk


def can_delete(user, question: Question) -> bool:
    """Who may delete: as ``can_edit``, except that a draft of the official bank (which every
    organiser may edit) is deleted only by its author or an organiser over the author: a
    commune's organiser, or another province's, cannot wipe a colleague's unfinished work."""
    if not can_edit(user, question):
        return False
    if user.is_superuser or question.owner_kind != OwnerKind.OFFICIAL or question.status != Status.DRAFT:
        return True
    if question.author_id is None or question.author_id == user.pk:
        return True
    return _covers_author(user, question.author_id)


def _covers_author(user, author_id) -> bool:
    """Whether ``user`` organises a region holding one of the author's staff roles."""
    from schools.models import Membership

    regions = _scope(user).region_ids
    if not regions:
        return False
    return (
        Membership.objects.filter(user_id=author_id)
        .filter(Q(region_id__in=regions) | Q(school__commune_id__in=regions))
        .exists()
    )


def can_approve(user, question: Question) -> bool:
    if not is_bank_user(user):
        return False
    if user.is_superuser:
        return True
    if question.owner_kind == OwnerKind.OFFICIAL:
        return has_role(user, Role.ORGANISER)
    if question.owner_kind == OwnerKind.SCHOOL:
        return _coordinates_school(user, question.owner_school_id)
    return question.owner_user_id == user.pk


def _rule(user, question, action: str) -> bool:
    if action == "view":
        return can_view(user, question)
    if action == "approve":
        return can_approve(user, question)
    return can_edit(user, question)


register_scope(Question, _rule)


def visible_filter(user) -> Q | None:
    """A Q over Question matching what ``user`` may see; None means nothing."""
    if not is_bank_user(user):
        return None
    if user.is_superuser:
        return Q()
    scope = _scope(user)
    official = Q(owner_kind=OwnerKind.OFFICIAL)
    if not has_role(user, Role.ORGANISER):
        official &= Q(status=Status.APPROVED)
    schools = scope.school_filter("owner_school__")
    school_bank = Q(owner_kind=OwnerKind.SCHOOL) & schools
    shared = Q(owner_kind=OwnerKind.TEACHER, shared_with_school=True) & schools
    return Q(owner_user=user) | official | school_bank | shared


@dataclass(frozen=True)
class Bank:
    """A bank a user may add questions to. ``key`` is "official", "mine" or "school:<id>"."""

    key: str
    label: str
    owner_kind: str
    owner_school: object = None
    owner_user: object = None


def writable_banks(user) -> list[Bank]:
    if not is_bank_user(user):
        return []
    banks = []
    if has_role(user, Role.ORGANISER):
        banks.append(Bank("official", str(_("Ngân hàng chính thức")), OwnerKind.OFFICIAL))
    banks.append(Bank("mine", str(_("Ngân hàng của tôi")), OwnerKind.TEACHER, home_school(user), user))
    from schools.models import School

    scope = _scope(user)
    coordinated = (
        School.objects.all() if scope.superuser else School.objects.filter(pk__in=scope.coordinated_school_ids)
    )
    for school in coordinated.order_by("name")[:50]:
        label = str(_("Ngân hàng của trường %(name)s")) % {"name": school.name}
        banks.append(Bank(f"school:{school.pk}", label, OwnerKind.SCHOOL, school))
    return banks


def bank_for_key(user, key: str) -> Bank:
    """The writable bank ``key`` names for ``user``; a ValidationFailed on the field otherwise."""
    from core.errors import ValidationFailed

    for bank in writable_banks(user):
        if bank.key == key:
            return bank
    raise ValidationFailed(fields={"bank": [_("Bạn không thể thêm câu hỏi vào ngân hàng này.")]})


def home_school(user):
    """The one school a teacher's questions are shared with, or None if it is not unique."""
    from schools.models import School

    scope = _scope(user)
    ids = scope.teacher_school_ids | scope.coordinated_school_ids
    if len(ids) != 1:
        return None
    return School.objects.filter(pk=next(iter(ids))).first()
