"""Writes of the schools app: regions, schools, classes, students and memberships.

Every function takes keyword-only arguments and runs in one transaction. The ``*_search``
and ``name_sort`` columns are filled here, never by ``save()``, so bulk paths fill them too.
Imports live in ``schools.imports``; registration in ``schools.registration``.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import pagecache
from core.errors import Forbidden, ValidationFailed
from core.roles import grant_role
from core.text import search_key
from schools.models import (
    ConsentRecord,
    ConsentSource,
    Enrolment,
    Level,
    Membership,
    MembershipRole,
    Region,
    RegionKind,
    School,
    SchoolClass,
    Student,
)
from schools.naming import clean_name, name_sort_string
from schools.scope import forget_scope, scope_of
from schools.selectors import student_of, user_coordinates_school


def fill_student_names(student: Student) -> Student:
    """Normalise the name and fill its search and sort columns (before a save or bulk write)."""
    student.full_name = clean_name(student.full_name)
    student.full_name_search = search_key(student.full_name)
    student.name_sort = name_sort_string(student.full_name)
    return student


@transaction.atomic
def region_upsert(
    *, code: str, name: str, kind: str, parent: Region | None = None, legacy_label: str = "", is_demo: bool = False
) -> Region:
    if kind not in RegionKind.values:
        raise ValidationFailed(_("Cấp đơn vị không hợp lệ."), fields={"kind": [_("Cấp đơn vị không hợp lệ.")]})
    region, _created = Region.objects.update_or_create(
        code=code,
        defaults={
            "name": name.strip(),
            "name_search": search_key(name),
            "kind": kind,
            "parent": parent,
            "legacy_label": legacy_label.strip(),
            "is_demo": is_demo,
        },
    )
    return region


@transaction.atomic
def school_upsert(
    *, code: str, name: str, levels: list[str], commune: Region, enrolment: dict | None = None, is_demo: bool = False
) -> School:
    """Create or update a school by its code. ``enrolment`` maps grade (int) or level (str) to a count."""
    bad = [lv for lv in levels if lv not in Level.values]
    if bad or not levels:
        raise ValidationFailed(_("Cấp học không hợp lệ."), fields={"levels": [_("Cấp học không hợp lệ.")]})
    if commune.kind != RegionKind.COMMUNE:
        raise ValidationFailed(
            _("Trường phải thuộc một xã/phường."), fields={"commune": [_("Trường phải thuộc một xã/phường.")]}
        )
    school, _created = School.objects.update_or_create(
        code=code,
        defaults={
            "name": name.strip(),
            "name_search": search_key(name),
            "levels": list(levels),
            "commune": commune,
            "is_demo": is_demo,
        },
    )
    if enrolment is not None:
        enrolment_set(school=school, counts=enrolment)
    # Its commune and levels decide which contests' rounds its pupils see.
    pagecache.bump_on_commit(pagecache.ROUNDS)
    return school


def enrolment_rows(levels: list[str], counts: dict) -> list[tuple[str, int | None, int]]:
    """(level, grade, count) rows for ``counts`` keyed by grade number or level code."""
    from schools.models import GRADE_LEVEL

    rows = []
    for key, count in counts.items():
        if isinstance(key, int):
            level = GRADE_LEVEL[key]
            # A GDTX centre teaches grades 6-12 under its own level.
            if level not in levels and Level.GDTX in levels:
                level = Level.GDTX
            rows.append((str(level), key, int(count)))
        else:
            rows.append((key, None, int(count)))
    return rows


@transaction.atomic
def enrolment_set(*, school: School, counts: dict) -> None:
    """Replace the school's enrolment counts."""
    school.enrolments.all().delete()
    Enrolment.objects.bulk_create(
        Enrolment(school=school, level=level, grade=grade, count=count)
        for level, grade, count in enrolment_rows(school.levels, counts)
    )


@transaction.atomic
def class_get_or_create(
    *, school: School, school_year: str, name: str, grade: int, teacher=None, is_demo: bool = False
) -> SchoolClass:
    school_class, _created = SchoolClass.objects.get_or_create(
        school=school, school_year=school_year, name=name.strip(), defaults={"grade": grade, "is_demo": is_demo}
    )
    if teacher is not None:
        school_class.teachers.add(teacher)
    return school_class


@transaction.atomic
def membership_grant(
    *, user, role: str, school: School | None = None, region: Region | None = None, is_demo: bool = False
) -> Membership:
    """Give ``user`` a staff role over a school (coordinator, teacher) or a region (organiser)."""
    if role == MembershipRole.ORGANISER:
        if region is None or school is not None:
            raise ValidationFailed(_("Ban tổ chức được phân quyền theo đơn vị hành chính."))
        membership, _created = Membership.objects.get_or_create(
            user=user, role=role, region=region, defaults={"is_demo": is_demo}
        )
    elif role in (MembershipRole.COORDINATOR, MembershipRole.TEACHER):
        if school is None or region is not None:
            raise ValidationFailed(_("Điều phối và giáo viên được phân quyền theo trường."))
        membership, _created = Membership.objects.get_or_create(
            user=user, role=role, school=school, defaults={"is_demo": is_demo}
        )
    else:
        raise ValidationFailed(_("Vai trò không hợp lệ."))
    grant_role(user, role)
    forget_scope(user)
    return membership


@transaction.atomic
def membership_appoint(*, actor, school: School, username: str, role: str) -> Membership:
    """A coordinator appoints teachers of their school; an organiser also appoints coordinators."""
    if not user_coordinates_school(actor, school):
        raise Forbidden()
    scope = scope_of(actor)
    if role == MembershipRole.COORDINATOR and not (scope.superuser or school.commune_id in scope.region_ids):
        raise Forbidden(_("Chỉ ban tổ chức được phân công điều phối trường."))
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationFailed(fields={"username": [_("Không có tài khoản này.")]})
    if student_of(user) is not None:
        raise ValidationFailed(fields={"username": [_("Tài khoản học sinh không thể nhận vai trò này.")]})
    return membership_grant(user=user, role=role, school=school)


@transaction.atomic
def class_teacher_add(*, actor, school_class: SchoolClass, username: str) -> None:
    """A coordinator (or organiser) assigns a staff account, by username, to teach a class."""
    if not user_coordinates_school(actor, school_class.school):
        raise Forbidden()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationFailed(fields={"username": [_("Không có tài khoản này.")]})
    if student_of(user) is not None:
        raise ValidationFailed(fields={"username": [_("Tài khoản học sinh không thể nhận vai trò này.")]})
    class_assign_teacher(school_class=school_class, teacher=user)


@transaction.atomic
def class_assign_teacher(*, school_class: SchoolClass, teacher) -> None:
    """Assign a teacher of the school to a class (granting the school membership if needed)."""
    membership_grant(user=teacher, role=MembershipRole.TEACHER, school=school_class.school)
    school_class.teachers.add(teacher)


@transaction.atomic
def student_create(
    *,
    username: str,
    password: str | None,
    school: School,
    full_name: str,
    grade: int,
    school_class: SchoolClass | None = None,
    date_of_birth=None,
    student_code: str = "",
    gender: str = "",
    consent_student: bool = False,
    consent_guardian: bool = False,
    publish_name: bool = False,
    status: str = "verified",
    is_demo: bool = False,
) -> Student:
    """Create a user with the student role and their student record."""
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(
            _("Tên đăng nhập đã được dùng."), fields={"username": [_("Tên đăng nhập đã được dùng.")]}
        )
    user = User(username=username)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    grant_role(user, "student")
    student = fill_student_names(
        Student(
            user=user,
            school=school,
            school_class=school_class,
            grade=grade,
            full_name=full_name,
            date_of_birth=date_of_birth,
            student_code=student_code,
            gender=gender,
            consent_student=consent_student,
            consent_guardian=consent_guardian,
            publish_name=publish_name,
            consent_recorded_at=timezone.now() if (consent_student or consent_guardian) else None,
            status=status,
            is_demo=is_demo,
        )
    )
    if consent_student or consent_guardian:
        student.consent_recorded_by = user
    student.save()
    if consent_student or consent_guardian:
        _consent_log(student, source=ConsentSource.SELF, actor=user)
    return student


def _consent_log(student: Student, *, source: str, actor) -> ConsentRecord:
    return ConsentRecord.objects.create(
        student=student,
        consent_student=student.consent_student,
        consent_guardian=student.consent_guardian,
        publish_name=student.publish_name,
        source=source,
        recorded_by=actor,
        recorded_at=student.consent_recorded_at,
    )


@transaction.atomic
def student_set_consent(
    *, student: Student, consent_student: bool, consent_guardian: bool, publish_name: bool, actor=None
) -> Student:
    """Record the consents a school collected (on paper or in the app), with who recorded them.

    The caller checks ``actor``'s scope over the student. Appends a ``ConsentRecord``.
    """
    student.consent_student = consent_student
    student.consent_guardian = consent_guardian
    student.publish_name = publish_name
    student.consent_recorded_at = timezone.now()
    student.consent_recorded_by = actor
    student.save(
        update_fields=[
            "consent_student",
            "consent_guardian",
            "publish_name",
            "consent_recorded_at",
            "consent_recorded_by",
        ]
    )
    _consent_log(student, source=ConsentSource.STAFF, actor=actor)
    # Public rankings show a full name only with consent.
    pagecache.bump_on_commit(pagecache.RANKINGS)
    return student
