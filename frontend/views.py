import sys

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static

from core.demo import DEMO_ACCOUNTS


def home(request):
    demo_accounts = DEMO_ACCOUNTS if settings.SHOW_DEMO_LOGINS else []
    return render(request, "frontend/home.html", {"demo_accounts": demo_accounts})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; the icon is a static file (its
    URL is resolved per request, so a hashed static storage works too)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


def _api_error(request, status: int, code: str):
    """Under /api/ an address no view matches answers the API's JSON error, as the schema
    documents, not the HTML page."""
    if not request.path.startswith("/api/"):
        return None
    from django.utils.translation import gettext as _

    from core.api.errors import error_body

    message = _("Không tìm thấy.") if status == 404 else _("Bạn không có quyền thực hiện thao tác này.")
    return JsonResponse(error_body(code, message), status=status)


def error_403(request, exception=None):
    return _api_error(request, 403, "forbidden") or render(request, "403.html", status=403)


def error_404(request, exception=None):
    return _api_error(request, 404, "not_found") or render(request, "404.html", status=404)


def error_500(request):
    """Django's 500 page. When the database or Redis failed (a restart, an overloaded pool)
    the page answers 503 with ``Retry-After`` instead: the request may be sent again in a
    moment, as the API's ``unavailable`` says, and a proxy or a monitor tells it from a bug."""
    from core.errors import is_infrastructure_error

    exc = sys.exc_info()[1]  # Django calls this handler inside its ``except``
    unavailable = exc is not None and is_infrastructure_error(exc)
    # No request context: the database or the session may be what failed.
    html = loader.render_to_string("500.html", {"unavailable": unavailable})
    if unavailable:
        return HttpResponse(html, status=503, headers={"Retry-After": "5"})
    return HttpResponseServerError(html)
