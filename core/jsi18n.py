"""The JavaScript catalog (gettext for scripts), cached by the browser per language and version.

``/jsi18n/<language>/<version>.js`` answers with the catalog of that language and
``Cache-Control: immutable`` for a year. The version is a hash of every compiled ``djangojs``
catalog and of Django's version, so a new translation changes the URL and a returning pupil
downloads the catalog only then. The body is built once per language and process.
"""

import hashlib
from functools import cache
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from django.views.i18n import JavaScriptCatalog

ONE_YEAR = 365 * 24 * 60 * 60


@cache
def catalog_version() -> str:
    digest = hashlib.sha256(django.get_version().encode())
    dirs = [Path(app.path) / "locale" for app in apps.get_app_configs()]
    dirs += [Path(p) for p in settings.LOCALE_PATHS]
    for locale_dir in dirs:
        for mo in sorted(locale_dir.glob("*/LC_MESSAGES/djangojs.mo")):
            digest.update(str(mo.relative_to(locale_dir)).encode())
            digest.update(mo.read_bytes())
    return digest.hexdigest()[:12]


def catalog_url(language: str | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = language if language in codes else settings.LANGUAGE_CODE
    return reverse("javascript-catalog-versioned", args=[language, catalog_version()])


_bodies: dict[str, tuple[bytes, str]] = {}


def _catalog_body(request, language: str) -> tuple[bytes, str]:
    """The catalog's JavaScript for ``language``, built once per process (it reads no request data)."""
    if language not in _bodies:
        with translation.override(language):
            response = JavaScriptCatalog.as_view()(request)
        _bodies[language] = (response.content, response["Content-Type"])
    return _bodies[language]


@require_safe
def javascript_catalog(request, language: str, version: str):
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise Http404
    body, content_type = _catalog_body(request, language)
    response = HttpResponse(body, content_type=content_type)
    if version == catalog_version():
        response["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    else:
        # A page from before a deploy: answer with today's catalog, but do not keep it.
        response["Cache-Control"] = "no-cache"
    return response
