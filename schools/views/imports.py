"""The import page: upload, preview with per-row errors, then commit with a progress bar.

The page drives the same API as scripts (``/api/schools/imports/``); see ``static/schools/import.js``.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from core.roles import STAFF_ROLES, has_role
from schools import selectors
from schools.imports.files import MAX_BYTES
from schools.models import ImportKind
from schools.scope import scope_of


@login_required
def import_page(request):
    if not has_role(request.user, *STAFF_ROLES):
        raise PermissionDenied
    scope = scope_of(request.user)
    kinds = [ImportKind.ROSTER]
    if scope.superuser or scope.region_ids:
        kinds += [ImportKind.SCHOOLS, ImportKind.REGIONS]
    schools = selectors.import_schools(request.user).order_by("name_search")[:500]
    context = {
        "kinds": [(k.value, k.label) for k in kinds],
        "kind": request.GET.get("kind", ImportKind.ROSTER),
        "schools": schools,
        "school": request.GET.get("school", ""),
        "school_year": selectors.current_school_year(),
        "max_mb": MAX_BYTES // (1024 * 1024),
    }
    return render(request, "schools/import.html", context)
