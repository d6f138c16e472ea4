"""What every contest page shares: domain errors as HTTP answers, as the API gives them."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.errors import Forbidden, NotAuthenticated, NotFound


def http_errors(view):
    """Out-of-scope objects answer 404 and forbidden actions 403 (the rest a page handles)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except (Forbidden, NotAuthenticated) as exc:
            raise PermissionDenied(str(exc.message)) from exc

    return wrapper
