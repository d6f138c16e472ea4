"""Vietnamese first: pages speak Vietnamese unless the visitor chose English.

Django's LocaleMiddleware follows the browser's Accept-Language, and many pupils' cheap phones
are set to English. So pages use the language chosen with the switcher (its cookie) and
otherwise ``LANGUAGE_CODE``. The API answers a browser (a request carrying cookies) in the
same language as its pages, and honours Accept-Language only for scripts (token auth, no
cookies).
"""

from django.conf import settings
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def language_from_cookies(cookies) -> str:
    chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if request.path.startswith("/api/") and not request.COOKIES:
            language = translation.get_language_from_request(request)
        else:
            language = language_from_cookies(request.COOKIES)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# The database's integer ids are 64-bit: Django's ``int`` path converter takes any digits.
_ID_RANGE = range(-(2**63), 2**63)


class OutOfRangeIdMiddleware:
    """An id in the path that no row can have (past 64 bits) is a 404, for pages and the API
    alike, instead of the database driver's overflow error (a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if any(isinstance(v, int) and v not in _ID_RANGE for v in [*view_args, *view_kwargs.values()]):
            raise Http404
        return None
