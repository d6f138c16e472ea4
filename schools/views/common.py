"""What every schools page shares: object lookups in scope."""

from django.shortcuts import get_object_or_404

from core.roles import check_scope
from schools.models import School, SchoolClass


def school_in_scope(user, code: str, action: str = "view") -> School:
    school = get_object_or_404(School.objects.select_related("commune__parent"), code=code)
    check_scope(user, school, action)
    return school


def class_in_scope(user, pk: int, action: str = "manage") -> SchoolClass:
    school_class = get_object_or_404(SchoolClass.objects.select_related("school"), pk=pk)
    check_scope(user, school_class, action)
    return school_class
