"""Self-registration: province -> commune -> school -> class, then the pupil's details and consent.

Works without JavaScript (each choice reloads the page through GET parameters); with it,
``static/schools/register.js`` fills the lists from the public API and filters them as you type.
"""

import datetime

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from schools import selectors
from schools.models import Region, RegionKind, School, SchoolClass
from schools.registration import registration_submit

FIELDS = ("username", "full_name", "date_of_birth", "consent_student", "consent_guardian", "publish_name")


def _choices(params):
    province = Region.objects.filter(code=params.get("province", ""), kind=RegionKind.PROVINCE).first()
    commune = None
    if province:
        commune = Region.objects.filter(code=params.get("commune", ""), parent=province).first()
    school = School.objects.filter(code=params.get("school", ""), commune=commune).first() if commune else None
    return province, commune, school


def _parse_date(text: str) -> datetime.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def register(request):
    if request.user.is_authenticated:
        return redirect("schools:me")
    params = request.POST if request.method == "POST" else request.GET
    province, commune, school = _choices(params)
    q = params.get("q", "")
    errors: dict = {}
    if request.method == "POST":
        school_class = SchoolClass.objects.filter(pk=params.get("school_class") or 0, school=school).first()
        if school is None or school_class is None:
            errors["school_class"] = [_("Hãy chọn tỉnh, xã/phường, trường và lớp.")]
        else:
            try:
                student = registration_submit(
                    username=params.get("username", "").strip(),
                    password=params.get("password", ""),
                    full_name=params.get("full_name", ""),
                    date_of_birth=_parse_date(params.get("date_of_birth", "")),
                    school=school,
                    school_class=school_class,
                    consent_student=params.get("consent_student") == "on",
                    consent_guardian=params.get("consent_guardian") == "on",
                    publish_name=params.get("publish_name") == "on",
                )
            except ValidationFailed as exc:
                errors = exc.fields or {"form": [exc.message]}
            else:
                login(request, student.user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Đã đăng ký. Nhà trường sẽ xác minh tài khoản của bạn."))
                return redirect("schools:me")
    schools = School.objects.none()
    if commune:
        schools = selectors.search_schools(commune.schools.all(), q).order_by("name_search")
    context = {
        "provinces": Region.objects.filter(kind=RegionKind.PROVINCE).order_by("name_search"),
        "communes": Region.objects.filter(parent=province).order_by("name_search") if province else [],
        "schools": schools,
        "classes": SchoolClass.objects.filter(school=school, school_year=selectors.current_school_year()).order_by(
            "grade", "name"
        )
        if school
        else [],
        "province": province,
        "commune": commune,
        "school": school,
        "q": q,
        "values": {k: params.get(k, "") for k in (*FIELDS, "school_class")},
        "errors": errors,
        "adult_age": selectors.ADULT_AGE,
    }
    return render(request, "schools/register.html", context, status=400 if errors else 200)
