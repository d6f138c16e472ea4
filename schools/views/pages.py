"""Teacher, coordinator, organiser and pupil pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotFound
from core.http import domain_errors
from core.roles import STAFF_ROLES, check_scope, has_role
from schools import selectors
from schools.consent import CONSENT_ACTIONS, class_consent_record, class_verify, student_consent_record
from schools.models import RegionKind, School, Student, StudentStatus
from schools.registration import registration_reject, registration_verify
from schools.scope import scope_of
from schools.views.common import class_in_scope, school_in_scope

SEARCH_LIMIT = 100


@login_required
def home(request):
    """Send each role to its page."""
    scope = scope_of(request.user)
    if scope.region_ids or scope.superuser:
        return redirect("schools:regions")
    if scope.coordinated_school_ids:
        return redirect("schools:my_school")
    if scope.teacher_school_ids:
        return redirect("schools:classes")
    return redirect("schools:me")


@login_required
def classes(request):
    if not has_role(request.user, *STAFF_ROLES):
        raise PermissionDenied
    qs = selectors.classes_with_counts(selectors.classes_in_scope(request.user)).select_related("school")
    qs = qs.order_by("-school_year", "school__name_search", "grade", "name")
    return render(
        request, "schools/classes.html", {"classes": qs, "can_import": selectors.import_schools(request.user).exists()}
    )


@login_required
@domain_errors
def class_detail(request, pk):
    school_class = class_in_scope(request.user, pk)
    query = request.GET.get("q", "")
    roster = selectors.search_students(
        selectors.class_roster(school_class).select_related("consent_recorded_by"), query
    )
    return render(
        request,
        "schools/class_detail.html",
        {
            "school_class": school_class,
            "students": roster,
            "q": query,
            "consent_actions": CONSENT_ACTION_LABELS,
        },
    )


# The bulk actions of the class page, in the order of its menu.
CONSENT_ACTION_LABELS = [
    ("consent_both", _lazy("Ghi nhận: học sinh và cha mẹ đồng ý")),
    ("consent_student", _lazy("Ghi nhận: học sinh đồng ý")),
    ("consent_guardian", _lazy("Ghi nhận: cha mẹ/người giám hộ đồng ý")),
    ("consent_withdraw", _lazy("Ghi nhận: rút lại đồng ý")),
]
assert {key for key, _label in CONSENT_ACTION_LABELS} == set(CONSENT_ACTIONS)


@login_required
@require_POST
@domain_errors
def class_students(request, pk):
    """The class page's actions: verify one pupil, or verify / record consent for the chosen ones."""
    school_class = class_in_scope(request.user, pk)
    one = request.POST.get("verify_one")
    try:
        if one:
            changed = class_verify(actor=request.user, school_class=school_class, student_ids=[one])
            messages.success(request, _("Đã xác minh %(n)s học sinh.") % {"n": changed})
        elif request.POST.get("action") == "verify":
            changed = class_verify(
                actor=request.user, school_class=school_class, student_ids=request.POST.getlist("student")
            )
            messages.success(request, _("Đã xác minh %(n)s học sinh.") % {"n": changed})
        else:
            changed = class_consent_record(
                actor=request.user,
                school_class=school_class,
                student_ids=request.POST.getlist("student"),
                action=request.POST.get("action", ""),
            )
            messages.success(request, _("Đã ghi nhận đồng ý cho %(n)s học sinh.") % {"n": changed})
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, str(exc.message))
    return redirect("schools:class", pk=school_class.pk)


@login_required
@domain_errors
def student_consent(request, pk):
    """One pupil's consents, from the school's paper form, with who recorded them and when."""
    student = get_object_or_404(Student.objects.select_related("school", "school_class", "user"), pk=pk)
    check_scope(request.user, student, "manage")
    if request.method == "POST":
        student_consent_record(
            actor=request.user,
            student=student,
            consent_student=request.POST.get("consent_student") == "on",
            consent_guardian=request.POST.get("consent_guardian") == "on",
            publish_name=request.POST.get("publish_name") == "on",
        )
        messages.success(request, _("Đã ghi nhận đồng ý của %(name)s.") % {"name": student.full_name})
        if student.school_class_id:
            return redirect("schools:class", pk=student.school_class_id)
        return redirect("schools:student_consent", pk=student.pk)
    records = student.consent_records.select_related("recorded_by").order_by("-recorded_at", "-id")[:50]
    return render(
        request,
        "schools/student_consent.html",
        {"student": student, "records": records, "is_child": selectors.is_child(student)},
    )


@login_required
def my_school(request):
    schools = list(School.objects.filter(pk__in=scope_of(request.user).coordinated_school_ids)[:2])
    if len(schools) == 1:
        return redirect("schools:school", code=schools[0].code)
    return redirect("schools:regions" if scope_of(request.user).region_ids else "schools:classes")


@login_required
@domain_errors
def school_detail(request, code):
    """A school's page for its staff. Coordinators and organisers see every class and pending
    pupil; a teacher sees the school's figures and only the classes and pupils they teach."""
    school = school_in_scope(request.user, code, "view")
    if not selectors.user_manages_school(request.user, school):
        raise NotFound()  # a pupil may "view" their school, not its staff page
    coordinates = selectors.user_coordinates_school(request.user, school)
    managed = selectors.managed_students(request.user).filter(school=school)
    classes = school.classes.filter(school_year=selectors.current_school_year())
    if not coordinates:
        classes = classes.filter(pk__in=selectors.classes_in_scope(request.user).values("pk"))
    query = request.GET.get("q", "")
    students = Student.objects.none()
    if query:
        students = selectors.search_students(
            managed.select_related("school_class", "user").order_by("name_sort", "id"), query
        )[:SEARCH_LIMIT]
    context = {
        "school": school,
        "coordinates": coordinates,
        "classes": selectors.classes_with_counts(classes),
        "pending": managed.filter(status=StudentStatus.PENDING)
        .select_related("school_class")
        .order_by("registered_at"),
        "participation": selectors.school_participation(school),
        "students": students,
        "q": query,
    }
    return render(request, "schools/school_detail.html", context)


@login_required
@require_POST
@domain_errors
def registration_review(request, pk):
    student = get_object_or_404(Student.objects.select_related("school", "school_class"), pk=pk)
    try:
        if request.POST.get("decision") == "verify":
            registration_verify(actor=request.user, student=student)
            messages.success(request, _("Đã xác minh %(name)s.") % {"name": student.full_name})
        else:
            registration_reject(actor=request.user, student=student, note=request.POST.get("note", ""))
            messages.success(request, _("Đã từ chối đăng ký của %(name)s.") % {"name": student.full_name})
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, str(exc.message))
    return redirect(_safe_next(request) or reverse("schools:school", args=[student.school.code]))


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
def regions(request):
    """An organiser's region tree: provinces, communes, schools; searchable by school."""
    scope = scope_of(request.user)
    query = request.GET.get("q", "")
    schools = selectors.schools_in_scope(request.user).filter(commune__isnull=False)
    if not (scope.superuser or scope.region_ids):
        return redirect("schools:home")
    found = None
    if query:
        found = selectors.search_schools(schools.select_related("commune__parent"), query).order_by("name_search")[
            :SEARCH_LIMIT
        ]
    provinces = selectors.regions_in_scope(request.user).filter(kind=RegionKind.PROVINCE)
    communes = (
        selectors.regions_in_scope(request.user)
        .filter(kind=RegionKind.COMMUNE)
        .annotate(school_count=Count("schools", distinct=True))
        .order_by("name_search")
    )
    school_rows = (
        schools.annotate(student_count=Count("students", filter=Q(students__status=StudentStatus.VERIFIED)))
        .select_related("commune")
        .order_by("name_search")
    )
    by_commune: dict[int, list] = {}
    for school in school_rows:
        by_commune.setdefault(school.commune_id, []).append(school)
    tree = []
    for province in provinces.order_by("name_search"):
        children = [c for c in communes if c.parent_id == province.pk]
        tree.append(
            {"region": province, "communes": [{"region": c, "schools": by_commune.get(c.pk, [])} for c in children]}
        )
    lone_communes = [c for c in communes if c.parent_id not in {p.pk for p in provinces}]
    for commune in lone_communes:  # an organiser of one commune only
        tree.append(
            {"region": commune.parent, "communes": [{"region": commune, "schools": by_commune.get(commune.pk, [])}]}
        )
    return render(request, "schools/regions.html", {"tree": tree, "q": query, "found": found})


@login_required
def me(request):
    student = selectors.student_of(request.user)
    return render(
        request,
        "schools/me.html",
        {"student": student, "public_name": selectors.public_name(student) if student else ""},
    )
