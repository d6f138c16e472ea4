"""Reads of the schools app, including the scope checks other apps build on."""

import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from core.text import initials_name, search_key
from schools.models import Region, School, SchoolClass, Student
from schools.scope import scope_of

ADULT_AGE = 16  # Law on Children 2016: a child is under 16; below that a guardian must consent


def current_school_year(today: datetime.date | None = None) -> str:
    """Vietnamese school years start in September; from August on, the new year is current."""
    today = today or timezone.localdate()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}-{start + 1}"


def student_of(user) -> Student | None:
    """The user's student record, or None (staff, anonymous)."""
    if user is None or not user.is_authenticated:
        return None
    # One query for the student, their school and its commune (every page a pupil opens checks
    # the audience through them), kept where ``user.student`` looks, absent ones included.
    fields_cache = user._state.fields_cache
    if "student" not in fields_cache:
        student = Student.objects.select_related("school__commune").filter(user_id=user.pk).first()
        if student is not None:
            student._state.fields_cache["user"] = user
        fields_cache["student"] = student
    return fields_cache["student"]


def schools_in_scope(user) -> QuerySet[School]:
    """Schools the user belongs to or manages: an organiser's regions, a coordinator's or
    teacher's school(s), a student's own school. Everything for a superuser."""
    scope = scope_of(user)
    if scope.superuser:
        return School.objects.all()
    q = scope.school_filter()
    student = student_of(user)
    if student is not None:
        q |= Q(pk=student.school_id)
    return School.objects.filter(q).distinct()


def regions_in_scope(user) -> QuerySet[Region]:
    scope = scope_of(user)
    if scope.superuser:
        return Region.objects.all()
    return Region.objects.filter(pk__in=scope.region_ids)


def user_manages_region(user, region: Region) -> bool:
    scope = scope_of(user)
    return scope.superuser or region.pk in scope.region_ids


def user_coordinates_school(user, school: School) -> bool:
    """Organiser over the school's commune or province, or the school's coordinator."""
    scope = scope_of(user)
    return scope.superuser or school.pk in scope.coordinated_school_ids or school.commune_id in scope.region_ids


def user_manages_school(user, school: School) -> bool:
    """Staff with a say over this school: its organisers, coordinators and teachers.

    Teachers pass because they act within their school (class games, school questions); use
    ``user_coordinates_school`` for school-wide rights such as verifying any registration.
    """
    return user_coordinates_school(user, school) or school.pk in scope_of(user).teacher_school_ids


def user_manages_class(user, school_class: SchoolClass) -> bool:
    """Coordinators and organisers of the school, and the teachers assigned to the class."""
    if user is None or not user.is_authenticated:
        return False
    if user_coordinates_school(user, school_class.school):
        return True
    if school_class.school_id not in scope_of(user).teacher_school_ids:
        return False
    return school_class.teachers.filter(pk=user.pk).exists()


def user_manages_student(user, student: Student) -> bool:
    """Coordinators and organisers of the student's school; teachers of the student's class."""
    if user is None or not user.is_authenticated:
        return False
    if user_coordinates_school(user, student.school):
        return True
    if student.school_class_id is None or student.school_id not in scope_of(user).teacher_school_ids:
        return False
    return student.school_class.teachers.filter(pk=user.pk).exists()


def _managed(user, model, *, teachers: str):
    """Rows of ``model`` (which has a ``school``) that the user manages: every row of a
    coordinated school or of a school in an organiser's regions, and a teacher's classes'
    rows, reached through the ``teachers`` lookup."""
    scope = scope_of(user)
    if scope.superuser:
        return model.objects.all()
    q = Q(pk__in=[])
    if scope.coordinated_school_ids or scope.region_ids:
        q = Q(school_id__in=scope.coordinated_school_ids)
        if scope.region_ids:
            q |= Q(school__commune_id__in=scope.region_ids)
    if scope.teacher_school_ids:
        q |= Q(school_id__in=scope.teacher_school_ids, **{teachers: user})
    return model.objects.filter(q).distinct()


def classes_in_scope(user) -> QuerySet[SchoolClass]:
    """Classes the user manages: all classes of coordinated schools, or a teacher's own."""
    return _managed(user, SchoolClass, teachers="teachers")


def managed_students(user) -> QuerySet[Student]:
    """Students the user manages: a coordinator's or organiser's schools, a teacher's classes."""
    return _managed(user, Student, teachers="school_class__teachers")


def students_in_scope(user) -> QuerySet[Student]:
    """Students the user manages (staff), plus the user's own record (a student)."""
    if scope_of(user).superuser:
        return Student.objects.all()
    own = Student.objects.filter(user=user) if user is not None and user.is_authenticated else Student.objects.none()
    return (managed_students(user) | own).distinct()


def classes_with_counts(qs: QuerySet[SchoolClass]) -> QuerySet[SchoolClass]:
    return qs.annotate(student_count=Count("students", distinct=True))


def age_on(date_of_birth: datetime.date | None, day: datetime.date) -> int | None:
    if date_of_birth is None:
        return None
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def is_child(student: Student, *, today: datetime.date | None = None) -> bool:
    """Under 16, or of unknown age: then a guardian's consent is needed too."""
    age = age_on(student.date_of_birth, today or timezone.localdate())
    return age is None or age < ADULT_AGE


def may_publish_full_name(student: Student, *, today: datetime.date | None = None) -> bool:
    """The student chose to publish their name, consented, and so did a guardian for a child."""
    if not (student.publish_name and student.consent_student):
        return False
    return student.consent_guardian or not is_child(student, today=today)


def public_name(student: Student) -> str:
    """The name public pages may show: the full name when consent allows, else initials only.

    Callers add the class or school beside it; this never returns anything more.
    """
    if may_publish_full_name(student):
        return student.full_name
    return initials_name(student.full_name)


def enrolled_count(school: School, *, levels=None, grades=None) -> int:
    """Enrolled pupils of ``school``, optionally only of some levels and/or grades."""
    qs = school.enrolments.all()
    if levels is not None:
        qs = qs.filter(level__in=list(levels))
    if grades is not None:
        qs = qs.filter(grade__in=list(grades))
    return qs.aggregate(total=Sum("count"))["total"] or 0


def class_roster(school_class: SchoolClass) -> QuerySet[Student]:
    """A class list in Vietnamese order (given name, then family and middle names)."""
    return school_class.students.select_related("user").order_by("name_sort", "id")


def search_students(qs: QuerySet[Student], text: str) -> QuerySet[Student]:
    """Accent-free search by name or student code: "nguyen van duc" finds "Nguyễn Văn Đức"."""
    key = search_key(text)
    if not key:
        return qs
    return qs.filter(Q(full_name_search__contains=key) | Q(student_code__iexact=text.strip()))


def search_schools(qs: QuerySet[School], text: str) -> QuerySet[School]:
    key = search_key(text)
    if not key:
        return qs
    return qs.filter(Q(name_search__contains=key) | Q(code__iexact=text.strip()))


def search_regions(qs: QuerySet[Region], text: str) -> QuerySet[Region]:
    key = search_key(text)
    if not key:
        return qs
    return qs.filter(Q(name_search__contains=key) | Q(code=text.strip()))


def import_schools(user) -> QuerySet[School]:
    """Schools whose rosters the user may import: staff schools and an organiser's schools."""
    scope = scope_of(user)
    if scope.superuser:
        return School.objects.all()
    return School.objects.filter(scope.school_filter())


def school_participation(school: School) -> dict:
    """Per grade: enrolled pupils and verified accounts; plus the counts of registered sources."""
    from schools.hooks import participation_sources

    enrolled: dict[int | None, int] = {}
    for row in school.enrolments.all():
        enrolled[row.grade] = enrolled.get(row.grade, 0) + row.count
    accounts = dict(
        school.students.filter(status="verified").values_list("grade").annotate(n=Count("id")).values_list("grade", "n")
    )
    grades = sorted({g for g in enrolled if g is not None} | set(accounts))
    rows = [
        {
            "grade": g,
            "enrolled": enrolled.get(g, 0),
            "accounts": accounts.get(g, 0),
            "rate": (100 * accounts.get(g, 0) / enrolled[g]) if enrolled.get(g) else None,
        }
        for g in grades
    ]
    total_enrolled = sum(enrolled.values())
    total_accounts = sum(accounts.values())
    sources = [{"label": label, "count": fn(school)} for label, fn in participation_sources()]
    for source in sources:
        source["rate"] = 100 * source["count"] / total_enrolled if total_enrolled else None
    return {
        "rows": rows,
        "enrolled": total_enrolled,
        "accounts": total_accounts,
        "rate": 100 * total_accounts / total_enrolled if total_enrolled else None,
        "sources": sources,
    }
