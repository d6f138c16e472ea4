"""Self-registration for open contests, and its verification by the school.

A pupil picks province, commune, school and class, and confirms consent (Law 91/2025/QH15):
their own, and a parent's or guardian's when they are under 16. The account works at once but
stays "pending" until a teacher of the class or a coordinator of the school verifies it;
contests decide whether pending pupils may take part.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, NotFound, ValidationFailed
from core.roles import check_scope
from schools import selectors
from schools.models import School, SchoolClass, Student, StudentStatus
from schools.naming import clean_name, is_person_name
from schools.services import student_create


def _fail(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def check_registration(
    *,
    username: str,
    password: str,
    full_name: str,
    date_of_birth: datetime.date | None,
    school: School,
    school_class: SchoolClass,
    consent_student: bool,
    consent_guardian: bool,
) -> None:
    """Raise ValidationFailed with every field error at once."""
    errors: dict[str, list] = {}
    User = get_user_model()
    try:
        User.username_validator(username)
    except DjangoValidationError:
        errors["username"] = [_("Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số và . @ + - _")]
    if not errors.get("username") and User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("Tên đăng nhập đã được dùng.")]
    try:
        validate_password(password, User(username=username))
    except DjangoValidationError as exc:
        errors["password"] = list(exc.messages)
    name = clean_name(full_name)
    if len(name.split()) < 2 or any(ch.isdigit() for ch in name) or len(name) > 120:
        errors["full_name"] = [_("Hãy nhập đầy đủ họ và tên.")]
    elif not is_person_name(name):
        errors["full_name"] = [_("Họ và tên chỉ gồm chữ cái, dấu cách, dấu gạch nối (-), dấu nháy (') và dấu chấm.")]
    today = timezone.localdate()
    if date_of_birth is None or not (today.year - 30 <= date_of_birth.year <= today.year - 4):
        errors["date_of_birth"] = [_("Ngày sinh không hợp lý.")]
    if school_class.school_id != school.pk or school_class.school_year != selectors.current_school_year():
        errors["school_class"] = [_("Hãy chọn một lớp của năm học này ở trường đã chọn.")]
    if not consent_student:
        errors["consent_student"] = [_("Bạn cần đồng ý để đăng ký dự thi.")]
    age = selectors.age_on(date_of_birth, today)
    if not consent_guardian and (age is None or age < selectors.ADULT_AGE):
        errors["consent_guardian"] = [_("Học sinh dưới 16 tuổi cần cha mẹ hoặc người giám hộ đồng ý.")]
    if errors:
        raise ValidationFailed(_("Dữ liệu đăng ký chưa hợp lệ."), fields=errors)


@transaction.atomic
def registration_submit(
    *,
    username: str,
    password: str,
    full_name: str,
    date_of_birth: datetime.date | None,
    school: School,
    school_class: SchoolClass,
    consent_student: bool,
    consent_guardian: bool,
    publish_name: bool = False,
) -> Student:
    """Create a pupil account awaiting verification."""
    check_registration(
        username=username,
        password=password,
        full_name=full_name,
        date_of_birth=date_of_birth,
        school=school,
        school_class=school_class,
        consent_student=consent_student,
        consent_guardian=consent_guardian,
    )
    return student_create(
        username=username,
        password=password,
        school=school,
        school_class=school_class,
        grade=school_class.grade,
        full_name=full_name,
        date_of_birth=date_of_birth,
        consent_student=consent_student,
        consent_guardian=consent_guardian,
        publish_name=publish_name,
        status=StudentStatus.PENDING,
    )


def _reviewable(actor, student: Student) -> Student:
    check_scope(actor, student, "manage")
    student = Student.objects.select_for_update().select_related("user").get(pk=student.pk)
    if not selectors.user_manages_student(actor, student):  # moved class meanwhile
        raise NotFound()
    return student


@transaction.atomic
def registration_verify(*, actor, student: Student) -> Student:
    """Accept a pending (or earlier rejected) registration."""
    student = _reviewable(actor, student)
    if student.status == StudentStatus.VERIFIED:
        raise Conflict(_("Học sinh này đã được xác minh."), code="already_verified")
    student.status, student.reviewed_by, student.reviewed_at = StudentStatus.VERIFIED, actor, timezone.now()
    student.review_note = ""
    student.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    if not student.user.is_active:
        student.user.is_active = True
        student.user.save(update_fields=["is_active"])
    return student


@transaction.atomic
def registration_reject(*, actor, student: Student, note: str = "") -> Student:
    """Reject a pending registration; the account can no longer sign in."""
    student = _reviewable(actor, student)
    if student.status != StudentStatus.PENDING:
        raise Conflict(_("Chỉ từ chối được đăng ký đang chờ xác minh."), code="not_pending")
    student.status, student.reviewed_by, student.reviewed_at = StudentStatus.REJECTED, actor, timezone.now()
    student.review_note = note.strip()[:300]
    student.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    student.user.is_active = False
    student.user.save(update_fields=["is_active"])
    return student
