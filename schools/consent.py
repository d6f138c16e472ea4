"""Class actions of the staff: record pupils' consents and verify pending pupils, one or many.

Teachers act on the pupils of the classes they teach, coordinators and organisers on every
class of their schools (``schools.roles``). A bulk action names its pupils by id; if one of
them is not a pupil of the class, nothing changes.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed
from core.roles import check_scope
from schools.models import SchoolClass, Student, StudentStatus
from schools.registration import registration_verify
from schools.services import student_set_consent

MAX_SELECTED = 500

# Bulk consent actions: (pupil's consent, guardian's consent); None leaves it as it is.
CONSENT_ACTIONS = {
    "consent_student": (True, None),
    "consent_guardian": (None, True),
    "consent_both": (True, True),
    "consent_withdraw": (False, False),
}


def _selected(actor, school_class: SchoolClass, student_ids) -> list[Student]:
    """The chosen pupils of the class, locked; every id must be one of them."""
    check_scope(actor, school_class, "manage")
    try:
        ids = {int(i) for i in student_ids}
    except (TypeError, ValueError):
        raise ValidationFailed(_("Danh sách học sinh đã chọn không hợp lệ."), code="bad_selection") from None
    if not ids:
        raise ValidationFailed(_("Hãy chọn ít nhất một học sinh."), code="empty_selection")
    if len(ids) > MAX_SELECTED:
        raise ValidationFailed(_("Chọn quá nhiều học sinh một lần."), code="bad_selection")
    students = list(
        Student.objects.select_for_update(of=("self",))
        .select_related("school", "school_class", "user")
        .filter(school_class=school_class, pk__in=ids)
        .order_by("pk")
    )
    if len(students) != len(ids):
        raise ValidationFailed(_("Có học sinh đã chọn không thuộc lớp này."), code="bad_selection")
    return students


@transaction.atomic
def class_consent_record(*, actor, school_class: SchoolClass, student_ids, action: str) -> int:
    """Record one consent action for the chosen pupils of a class; returns how many."""
    if action not in CONSENT_ACTIONS:
        raise ValidationFailed(_("Hãy chọn việc cần ghi nhận."), code="bad_action")
    pupil, guardian = CONSENT_ACTIONS[action]
    students = _selected(actor, school_class, student_ids)
    for student in students:
        consent_student = student.consent_student if pupil is None else pupil
        student_set_consent(
            student=student,
            actor=actor,
            consent_student=consent_student,
            consent_guardian=student.consent_guardian if guardian is None else guardian,
            # Without the pupil's consent the name is never published.
            publish_name=student.publish_name and consent_student,
        )
    return len(students)


@transaction.atomic
def student_consent_record(
    *, actor, student: Student, consent_student: bool, consent_guardian: bool, publish_name: bool
) -> Student:
    """Record one pupil's consents from the school's paper form."""
    check_scope(actor, student, "manage")
    student = (
        Student.objects.select_for_update(of=("self",)).select_related("school", "school_class").get(pk=student.pk)
    )
    return student_set_consent(
        student=student,
        actor=actor,
        consent_student=consent_student,
        consent_guardian=consent_guardian,
        publish_name=publish_name and consent_student,
    )


@transaction.atomic
def class_verify(*, actor, school_class: SchoolClass, student_ids) -> int:
    """Verify the chosen pupils who are pending (or were rejected); returns how many changed."""
    changed = 0
    for student in _selected(actor, school_class, student_ids):
        if student.status != StudentStatus.VERIFIED:
            registration_verify(actor=actor, student=student)
            changed += 1
    return changed
