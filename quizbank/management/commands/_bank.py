"""``--bank`` for the command-line tools: "official", "school:<code>" or "user:<username>"."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from quizbank.models import OwnerKind
from quizbank.scope import Bank, home_school


def bank_from_name(name: str) -> tuple[Bank, object]:
    """The bank named on the command line and the user to record as author (or None)."""
    if name in ("", "official"):
        return Bank("official", "official", OwnerKind.OFFICIAL), None
    kind, _sep, value = name.partition(":")
    if kind == "school" and value:
        from schools.models import School

        school = School.objects.filter(code=value).first()
        if school is None:
            raise CommandError(f"no school with code {value!r}")
        return Bank(name, name, OwnerKind.SCHOOL, school), None
    if kind == "user" and value:
        user = get_user_model().objects.filter(username=value).first()
        if user is None:
            raise CommandError(f"no user {value!r}")
        return Bank(name, name, OwnerKind.TEACHER, home_school(user), user), user
    raise CommandError("--bank must be official, school:<code> or user:<username>")
