"""Domain errors on pages: the HTML counterpart of ``core.api.errors``."""

import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.errors import Forbidden, NotAuthenticated, NotFound


def domain_errors(view):
    """Out-of-scope objects answer the 404 page and forbidden actions the 403 page, with the
    error's translated message, as the API answers 404 and 403. Other domain errors are the
    page's to show (next to the form that caused them)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except (Forbidden, NotAuthenticated) as exc:
            raise PermissionDenied(str(exc.message)) from exc

    return wrapper
