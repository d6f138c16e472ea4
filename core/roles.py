"""Roles and the object-scope plumbing every endpoint uses.

A role is a Django group (organiser, coordinator, teacher, student). What a role may touch is
decided per object by *scope rules*: each app registers, for its model classes, a function
``rule(user, obj, action) -> bool``. ``check_scope`` is the one entry point; it raises
``NotFound`` for objects outside the user's scope, so a foreign object's existence is not
revealed. Superusers pass every rule.
"""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from core.errors import NotFound


class Role(models.TextChoices):
    ORGANISER = "organiser", _("Ban tổ chức")
    COORDINATOR = "coordinator", _("Điều phối trường")
    TEACHER = "teacher", _("Giáo viên")
    STUDENT = "student", _("Học sinh")


STAFF_ROLES = (Role.ORGANISER, Role.COORDINATOR, Role.TEACHER)

ScopeRule = Callable[[object, object, str], bool]
_rules: dict[type, ScopeRule] = {}


def ensure_role_groups() -> None:
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def roles_of(user) -> frozenset[str]:
    """The user's role names, cached on the user object for the request."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_hts_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._hts_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    if user is not None and getattr(user, "is_superuser", False):
        return True
    return bool(roles_of(user) & {str(r) for r in roles})


def grant_role(user, role: str) -> None:
    group, _ = Group.objects.get_or_create(name=str(role))
    user.groups.add(group)
    user.__dict__.pop("_hts_roles", None)


def register_scope(model: type, rule: ScopeRule) -> None:
    """Register the scope rule for a model class (and its subclasses)."""
    _rules[model] = rule


def in_scope(user, obj, action: str = "view") -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    for cls in type(obj).__mro__:
        rule = _rules.get(cls)
        if rule is not None:
            return bool(rule(user, obj, action))
    return False  # no rule: deny, so a forgotten registration fails closed


def check_scope(user, obj, action: str = "view") -> None:
    if not in_scope(user, obj, action):
        raise NotFound()


def HasRole(*roles: str) -> type[BasePermission]:  # noqa: N802 - reads like a class in views
    """A DRF permission class that admits users holding any of ``roles``."""

    class _HasRole(BasePermission):
        def has_permission(self, request, view):
            return request.user.is_authenticated and has_role(request.user, *roles)

    _HasRole.__name__ = "HasRole_" + "_".join(str(r) for r in roles)
    return _HasRole


class InScope(BasePermission):
    """DRF object permission: the object must be in the user's scope for the action."""

    def has_object_permission(self, request, view, obj):
        action = "view" if request.method in ("GET", "HEAD", "OPTIONS") else "change"
        check_scope(request.user, obj, action)
        return True
