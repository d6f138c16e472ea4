"""Map every error a REST view can raise to ``{"error": {"code", "message", "fields"}}``.

Expected errors (``DomainError``, DRF's and Django's) keep their status. Anything else is
still answered in the same shape, never as an HTML page: a failure of the database or Redis
as 503 ``unavailable`` (send again in a moment; logged as one warning line), a bug as 500
``server_error`` (logged once, with its traceback). Django's error handlers
(``api_handler400`` to ``api_handler500``) give the same shape to ``/api/`` URLs that fail
outside a DRF view (no such URL, a wrong Host, a middleware that raised).
"""

import logging
import sys

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf
from rest_framework.response import Response

from core.errors import DomainError, Unavailable, is_infrastructure_error

logger = logging.getLogger("core.api")
API_PREFIX = "/api/"

_DRF_CODES = {
    drf.NotAuthenticated: "not_authenticated",
    drf.AuthenticationFailed: "authentication_failed",
    drf.PermissionDenied: "forbidden",
    drf.NotFound: "not_found",
    drf.MethodNotAllowed: "method_not_allowed",
    drf.NotAcceptable: "not_acceptable",
    drf.UnsupportedMediaType: "unsupported_media_type",
    drf.Throttled: "rate_limited",
    drf.ParseError: "parse_error",
    drf.ValidationError: "invalid",
}


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _flatten(value)]
    return [str(detail)]


def _fields(detail) -> dict:
    if isinstance(detail, dict):
        return {str(name): _flatten(value) for name, value in detail.items()}
    return {}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"error": exc.as_dict()}, status=exc.status)
    if isinstance(exc, Http404):
        exc = drf.NotFound(_("Không tìm thấy."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    elif isinstance(exc, DjangoValidationError):
        exc = drf.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if not isinstance(exc, drf.APIException):
        return _unexpected(exc, context)

    code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), "error")
    if isinstance(exc, drf.ValidationError):
        fields = _fields(exc.detail)
        messages = _flatten(exc.detail)
        if fields:
            message = _("Dữ liệu không hợp lệ.")
        else:
            message = messages[0] if messages else _("Dữ liệu không hợp lệ.")
    else:
        fields = {}
        message = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else "; ".join(_flatten(exc.detail))
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        headers["Retry-After"] = str(int(exc.wait))
    return Response(error_body(code, message, fields), status=exc.status_code, headers=headers)


def _unexpected(exc: Exception, context) -> Response:
    request = context.get("request")
    path = getattr(request, "path", "?")
    if is_infrastructure_error(exc):
        # A warning without a traceback: an outage is not a bug, and it repeats per request.
        logger.warning("%s: a service is unavailable: %s: %s", path, type(exc).__name__, exc)
        err = Unavailable()
        response = Response({"error": err.as_dict()}, status=err.status, headers={"Retry-After": "1"})
    else:
        logger.error("%s: unexpected error", path, exc_info=exc)
        response = Response(error_body("server_error", str(_("Lỗi máy chủ, vui lòng thử lại sau."))), status=500)
    response._has_been_logged = True  # logged above, with the traceback: not again by Django
    return response


def is_api_request(request) -> bool:
    return request.path.startswith(API_PREFIX)


def api_handler400(request, exception=None):
    """Django's 400 handler (a request Django refused before any view, e.g. a wrong Host)."""
    if is_api_request(request):
        return JsonResponse(error_body("bad_request", str(_("Yêu cầu không hợp lệ."))), status=400)
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def api_handler403(request, exception=None):
    """Django's 403 handler (a PermissionDenied outside DRF, e.g. a CSRF failure)."""
    if is_api_request(request):
        return JsonResponse(error_body("forbidden", str(_("Bạn không có quyền thực hiện thao tác này."))), status=403)
    from frontend.views import error_403

    return error_403(request, exception)


def api_handler404(request, exception=None):
    """Django's 404 handler: JSON under ``/api/``, the page elsewhere."""
    if is_api_request(request):
        return JsonResponse(error_body("not_found", str(_("Không tìm thấy."))), status=404)
    from frontend.views import error_404

    return error_404(request, exception)


def api_handler500(request):
    """Django's 500 handler (Django has logged the exception): JSON under ``/api/``; 503
    ``unavailable`` when the database or Redis failed (it runs inside Django's ``except``)."""
    if is_api_request(request):
        exc = sys.exc_info()[1]
        if exc is not None and is_infrastructure_error(exc):
            err = Unavailable()
            return JsonResponse({"error": err.as_dict()}, status=err.status, headers={"Retry-After": "1"})
        return JsonResponse(error_body("server_error", str(_("Lỗi máy chủ, vui lòng thử lại sau."))), status=500)
    from frontend.views import error_500

    return error_500(request)
