"""Domain errors that reach a page view answer as Django's own 404 / 403 / 400 pages.

The REST API turns a ``DomainError`` into JSON in ``core.api.errors``; page views catch the
errors they show next to a form, and the rest (``check_scope``'s ``NotFound`` above all) lands
here instead of becoming a 500. So an out-of-scope object answers 404 on every page, as the
scope rule says, without each view remembering to translate it.
"""

from django.core.exceptions import BadRequest, PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404

from core.errors import DomainError, Forbidden, NotAuthenticated, NotFound


def _page_exception(exc: DomainError) -> Exception:
    if isinstance(exc, NotFound):
        return Http404(str(exc.message))
    if isinstance(exc, (Forbidden, NotAuthenticated)):
        return PermissionDenied(str(exc.message))
    return BadRequest(str(exc.message))


class DomainErrorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        return response_for_exception(request, _page_exception(exception))
