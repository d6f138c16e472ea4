"""Scope rules of the schools models, registered with ``core.roles.register_scope``.

Actions: "view" (read the object itself) and anything else ("change", "manage": read its
members or write). A student may view their own record, class and school, nothing else.
"""

from core.roles import register_scope
from schools import selectors
from schools.models import Region, School, SchoolClass, Student


def _region_rule(user, region: Region, action: str) -> bool:
    return selectors.user_manages_region(user, region)


def _school_rule(user, school: School, action: str) -> bool:
    if action == "view":
        student = selectors.student_of(user)
        if student is not None and student.school_id == school.pk:
            return True
        return selectors.user_manages_school(user, school)
    return selectors.user_coordinates_school(user, school)


def _class_rule(user, school_class: SchoolClass, action: str) -> bool:
    if action == "view":
        student = selectors.student_of(user)
        if student is not None and student.school_class_id == school_class.pk:
            return True
    return selectors.user_manages_class(user, school_class)


def _student_rule(user, student: Student, action: str) -> bool:
    if action == "view" and student.user_id == user.pk:
        return True
    return selectors.user_manages_student(user, student)


def register() -> None:
    register_scope(Region, _region_rule)
    register_scope(School, _school_rule)
    register_scope(SchoolClass, _class_rule)
    register_scope(Student, _student_rule)
