"""HTTP hardening, as fast tests: security headers on every response, HSTS behind TLS,
cookie flags, CSRF on every session POST, and error pages that show no internals."""

import os
import re
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authentication import SessionAuthentication

from tests.schools import factories as sf

pytestmark = pytest.mark.django_db

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/api/schools/regions/", "/leaderboard/", "/healthz"])
def test_security_headers_on_pages_and_api(client, url):
    resp = client.get(url)
    policy = resp["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["X-Frame-Options"] == "DENY"
    assert resp["Referrer-Policy"] == "same-origin"
    assert resp["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in resp["Permissions-Policy"]


def test_hsts_on_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/")
    assert client.get("/", secure=True)["Strict-Transport-Security"] == "max-age=31536000"


def _settings_with(env: dict) -> dict:
    """The settings a server process reads from ``env`` (a fresh interpreter)."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE, "
        "s.SECURE_PROXY_SSL_HEADER, s.DEBUG]))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("SECURE_COOKIES", "BEHIND_TLS_PROXY", "DEBUG")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "x", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    return json.loads(out.stdout)


def test_behind_a_tls_proxy_cookies_are_secure_and_debug_is_off_by_default():
    assert _settings_with({}) == [False, False, False, None, False]
    secure, csrf, language, header, debug = _settings_with({"BEHIND_TLS_PROXY": "1"})
    assert (secure, csrf, language, debug) == (True, True, True, False)
    assert header == ["HTTP_X_FORWARDED_PROTO", "https"]


def _cookie_flags(resp, name) -> dict:
    morsel = resp.cookies[name]
    return {"httponly": bool(morsel["httponly"]), "samesite": morsel["samesite"], "secure": bool(morsel["secure"])}


@pytest.mark.parametrize("secure", [False, True])
def test_session_and_csrf_cookie_flags(secure):
    get_user_model().objects.create_user("gv", password="Mat-khau-dai-2026")
    with override_settings(SESSION_COOKIE_SECURE=secure, CSRF_COOKIE_SECURE=secure):
        client = Client()
        form = client.get("/accounts/login/")
        assert _cookie_flags(form, "csrftoken") == {"httponly": False, "samesite": "Lax", "secure": secure}
        resp = client.post("/accounts/login/", {"username": "gv", "password": "Mat-khau-dai-2026"})
    assert resp.status_code == 302
    assert _cookie_flags(resp, "sessionid") == {"httponly": True, "samesite": "Lax", "secure": secure}


def _page_routes(resolver=None, prefix=""):
    """Every non-API URL pattern, with dummy arguments filled in."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith(("api/", "admin/")):
                yield from _page_routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            route = route.replace("^", "").replace("$", "")
            route = re.sub(r"\(\?P<action>[^)]*\)", "freeze", route)
            route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
            route = re.sub(r"<int:\w+>", "1", route)
            route = re.sub(r"<(str:)?\w+>", "x", route)
            yield "/" + route


# /api/schema/ and /api/docs/ read only; the API's writes are the next test's.
PAGE_ROUTES = sorted(
    {r for r in _page_routes() if not r.startswith("/api/")} | {"/admin/login/", "/admin/auth/user/1/change/"}
)


@pytest.fixture
def signed_in_without_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    return client


def _is_csrf_refusal(resp) -> bool:
    return resp.status_code == 403 and b"CSRF" in resp.content


@pytest.mark.parametrize("path", PAGE_ROUTES)
def test_every_page_post_needs_the_csrf_token(signed_in_without_token, path):
    resp = signed_in_without_token.post(path, {"name": "x"})
    assert _is_csrf_refusal(resp), (path, resp.status_code)


def _reads_the_session(path: str) -> bool:
    from django.urls import resolve

    view = resolve(path).func.view_class
    return any(cls is SessionAuthentication for cls in view.authentication_classes)


def _api_writes():
    """Every writing operation whose view reads the session. Views that take no session at
    all (the token exchange) act as anonymous with one, so a forged POST gains nothing."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        for method in ("post", "put", "patch", "delete"):
            url = re.sub(r"\{[^}]+\}", "1", path.replace("{action}", "freeze"))
            if method in item and _reads_the_session(url):
                yield method, url


API_WRITES = sorted(_api_writes())


def test_the_api_writes_are_listed():
    assert len(API_WRITES) > 40


@pytest.mark.parametrize(("method", "path"), API_WRITES)
def test_every_api_write_with_a_session_needs_the_csrf_token(signed_in_without_token, method, path):
    resp = getattr(signed_in_without_token, method)(path, {"name": "x"}, content_type="application/json")
    assert resp.status_code == 403, (method, path, resp.status_code)
    assert "CSRF" in resp.json()["error"]["message"]


@override_settings(DEBUG=False, ROOT_URLCONF="tests.core.urls_boom")
def test_error_pages_show_no_trace_or_setting():
    client = Client(raise_request_exception=False)
    sf.province()
    for url, status in (("/boom/", 500), ("/nothing-here/", 404)):
        resp = client.get(url)
        assert resp.status_code == status
        body = resp.content.decode()
        for leak in ("Traceback", "boom:", "SECRET_KEY", "DATABASES", "settings", ".py", "urls_boom", "RuntimeError"):
            assert leak not in body, (url, leak)
        assert "<html" in body
