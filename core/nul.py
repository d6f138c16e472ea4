"""No text input carries a NUL character.

PostgreSQL refuses NUL in text (SQLite stores it), so a ``%00`` in a search filter, or a
``\\u0000`` in a JSON field that reaches a query, used to answer 500 on PostgreSQL only. DRF's
and Django's form ``CharField`` already refuse it; query parameters, paths, raw form values
and JSON read outside a serializer did not. This middleware refuses them all before any view
runs: 400 with the JSON error on the API, the 400 page elsewhere. File uploads (binary by
nature) are not looked at; their importers decode and check their own text.
"""

import re

from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"
# A JSON string escape \u0000, preceded by an even number of backslashes (so "\\u0000", an
# escaped backslash followed by the text "u0000", is not one).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_nul(text: str) -> bool:
    return NUL in text


def json_has_nul(raw: bytes | str) -> bool:
    """Whether a JSON document holds a NUL, escaped (``\\u0000``) or raw."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    return b"\x00" in raw or _JSON_NUL.search(raw) is not None


def _query_dict_has_nul(data) -> bool:
    return any(has_nul(key) or any(has_nul(v) for v in values) for key, values in data.lists())


def request_has_nul(request) -> bool:
    if has_nul(request.path) or _query_dict_has_nul(request.GET):
        return True
    content_type = request.content_type or ""
    if content_type == "application/json" or content_type.endswith("+json"):
        return json_has_nul(request.body)
    if content_type in _FORM_TYPES and request.method not in ("GET", "HEAD"):
        return _query_dict_has_nul(request.POST)
    return False


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request_has_nul(request):
            message = _("Dữ liệu chứa ký tự NUL (mã 0), không được phép.")
            if request.path.startswith("/api/"):
                from core.api.errors import error_body

                return JsonResponse(error_body("invalid", message), status=400)
            raise BadRequest(message)
        return self.get_response(request)
