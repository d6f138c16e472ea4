"""First sign-in with the printed password: a contest may require the pupil to choose their own.

At sign-in, a pupil who still has the initial password of their login card and who is in the
audience of a contest with ``force_password_change`` gets a flag in their session; while it is
there, every page sends them to the change-password page. The flag goes as soon as the
password differs from the printed one. The JSON API and the sockets are not redirected (a
pupil reaches them only through the pages).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from contest.models import Contest
from schools.models import GRADE_LEVEL, Student

SESSION_KEY = "hts_must_change_password"
# Paths a flagged pupil may still open: the change itself, signing out, and what pages load.
OPEN_PREFIXES = ("/accounts/", "/static/", "/jsi18n/", "/i18n/", "/api/", "/ws/", "/healthz", "/favicon")


def _still_printed(user, student: Student) -> bool:
    return bool(student.initial_password) and user.password == student.initial_password_hash


def contests_forcing_change(student: Student) -> list[Contest]:
    """The contests in the pupil's audience that require changing the printed password."""
    commune = student.school.commune
    regions = [commune.pk] + ([commune.parent_id] if commune.parent_id else [])
    level = str(GRADE_LEVEL.get(student.grade, ""))
    return [
        c
        for c in Contest.objects.filter(force_password_change=True, region_id__in=regions)
        if (not c.grades or student.grade in c.grades) and (not c.levels or level in c.levels)
    ]


def must_change_password(user) -> bool:
    student = Student.objects.filter(user=user).select_related("school__commune").first()
    return student is not None and _still_printed(user, student) and bool(contests_forcing_change(student))


def on_signed_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session") and must_change_password(user):
        request.session[SESSION_KEY] = True


class PasswordChangeRequiredMiddleware:
    """Send a flagged pupil to the change-password page until the printed password is gone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(SESSION_KEY) and request.user.is_authenticated:
            student = (
                Student.objects.filter(user=request.user).only("initial_password", "initial_password_hash").first()
            )
            if student is None or not _still_printed(request.user, student):
                del request.session[SESSION_KEY]
            elif not request.path.startswith(OPEN_PREFIXES):
                messages.warning(request, _("Hãy đặt mật khẩu của riêng em trước khi vào thi."))
                return redirect(reverse("password_change"))
        return self.get_response(request)
