"""What every schools page shares: domain errors as HTTP answers, and object lookups in scope."""

import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.errors import Forbidden, NotAuthenticated, NotFound
from core.roles import check_scope
from schools.models import School, SchoolClass


def domain_errors(view):
    """Out-of-scope objects answer 404, forbidden actions 403, as the API does."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except (Forbidden, NotAuthenticated) as exc:
            raise PermissionDenied(str(exc.message)) from exc

    return wrapper


def school_in_scope(user, code: str, action: str = "view") -> School:
    school = get_object_or_404(School.objects.select_related("commune__parent"), code=code)
    check_scope(user, school, action)
    return school


def class_in_scope(user, pk: int, action: str = "manage") -> SchoolClass:
    school_class = get_object_or_404(SchoolClass.objects.select_related("school"), pk=pk)
    check_scope(user, school_class, action)
    return school_class
