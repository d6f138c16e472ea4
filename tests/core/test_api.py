"""The API base: one error shape, translated messages, token auth, the OpenAPI schema."""

import pytest
import redis
from django.contrib.auth import get_user_model
from django.db import OperationalError

from core.roles import Role, grant_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher():
    user = get_user_model().objects.create_user("gv01", password="mat-khau-dai-2026", first_name="Lan")
    grant_role(user, Role.TEACHER)
    return user


def test_anonymous_gets_error_shape(client):
    resp = client.get("/api/me/")
    assert resp.status_code in (401, 403)
    err = resp.json()["error"]
    assert err["code"] == "not_authenticated"
    assert err["message"]
    assert err["fields"] == {}


def test_token_with_bad_credentials_is_401_in_vietnamese_then_english(client, teacher):
    resp = client.post("/api/auth/token/", {"username": "gv01", "password": "sai"})
    assert resp.status_code == 401
    assert resp.json() == {
        "error": {"code": "bad_credentials", "message": "Tên đăng nhập hoặc mật khẩu không đúng.", "fields": {}}
    }
    resp = client.post("/api/auth/token/", {"username": "gv01", "password": "sai"}, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.json()["error"]["message"] == "Wrong username or password."


def test_browser_api_calls_follow_the_page_language_not_the_phone(client, teacher):
    client.force_login(teacher)  # a browser: it carries cookies
    resp = client.delete("/api/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert resp.json()["error"]["message"] == "Phương thức “DELETE” không được chấp nhận."
    client.cookies["django_language"] = "en"
    resp = client.delete("/api/me/")
    assert resp.json()["error"]["message"] == 'Method "DELETE" not allowed.'


def test_validation_errors_list_fields(client):
    resp = client.post("/api/auth/token/", {"username": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 400
    err = resp.json()["error"]
    assert err["code"] == "invalid"
    assert set(err["fields"]) == {"username", "password"}
    assert err["fields"]["password"] == ["This field is required."]


def test_token_auth_for_scripts(client, teacher):
    token = client.post("/api/auth/token/", {"username": "gv01", "password": "mat-khau-dai-2026"}).json()["token"]
    client.logout()
    resp = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert resp.status_code == 200
    assert resp.json() == {"id": teacher.id, "username": "gv01", "full_name": "Lan", "roles": ["teacher"]}


def test_unknown_api_path_and_wrong_method(client, teacher):
    client.force_login(teacher)
    resp = client.delete("/api/me/")
    assert resp.status_code == 405
    assert resp.json()["error"]["code"] == "method_not_allowed"


def test_openapi_schema_and_docs_page(client):
    resp = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert resp.status_code == 200
    schema = resp.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/me/" in schema["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


# --- every error is JSON, expected or not (issue 17, item 3) -----------------------------------


def test_an_unknown_api_url_is_json_404(client):
    resp = client.get("/api/no-such-endpoint/")
    assert resp.status_code == 404 and resp["Content-Type"] == "application/json"
    assert resp.json()["error"]["code"] == "not_found"
    assert "text/html" in client.get("/no-such-page/")["Content-Type"]  # pages keep their page


@pytest.mark.parametrize(
    "exc",
    [redis.exceptions.ConnectionError("Connection refused"), OperationalError("server closed the connection")],
    ids=["redis", "database"],
)
def test_a_service_failure_is_a_json_503_not_an_html_500(exc, rf, caplog):
    from core.api.errors import exception_handler

    resp = exception_handler(exc, {"request": rf.get("/api/contest/rounds/1/")})
    assert resp.status_code == 503 and resp["Retry-After"] == "1"
    assert resp.data["error"]["code"] == "unavailable" and resp.data["error"]["message"]
    assert [r.levelname for r in caplog.records] == ["WARNING"]  # one line, no traceback: an outage
    assert not caplog.records[0].exc_info and resp._has_been_logged


def test_a_cache_failure_in_a_real_request_is_json(client, settings, teacher):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    from django.core.cache import caches

    caches._settings = None  # the cache handler caches its settings; let it read the override
    client.force_login(teacher)
    try:
        resp = client.get("/api/me/")
    finally:
        caches._settings = None
    # 200 where nothing on the way reads the cache (the rate limiter falls back), else 503:
    # never an HTML page.
    assert resp["Content-Type"] == "application/json", resp.content[:200]
    assert resp.status_code == 200 or resp.json()["error"]["code"] == "unavailable"


def test_a_bug_in_a_view_is_a_json_500_logged_once(caplog, rf):
    from core.api.errors import exception_handler

    request = rf.get("/api/me/")
    try:
        raise KeyError("boom")
    except KeyError as exc:
        resp = exception_handler(exc, {"request": request})
    assert resp.status_code == 500
    assert resp.data["error"]["code"] == "server_error" and resp.data["error"]["message"]
    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 1 and "/api/me/" in logged[0].getMessage()
    assert resp._has_been_logged  # so Django's request logger does not log it a second time


def test_a_request_django_refuses_before_any_view_is_json_under_api(client):
    resp = client.get("/api/me/", HTTP_HOST="not-ours.example")  # DisallowedHost: 400 before any view
    assert resp.status_code == 400 and resp["Content-Type"] == "application/json"
    assert resp.json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize(
    "exc, status, heading",
    [
        (OperationalError("server closed the connection"), 503, "Máy chủ đang bận"),
        (redis.exceptions.ConnectionError("Connection refused"), 503, "Máy chủ đang bận"),
        (KeyError("boom"), 500, "Lỗi máy chủ"),
    ],
    ids=["database", "redis", "bug"],
)
def test_a_page_says_busy_503_when_a_service_failed_and_500_for_a_bug(exc, status, heading, rf):
    """Pages answer as the API does: 503 with Retry-After when the database or Redis failed
    (reload in a moment), 500 for a bug."""
    from django.utils import translation

    from core.api.errors import api_handler500

    request = rf.get("/contest/")
    with translation.override("vi"):
        try:
            raise exc
        except Exception:  # noqa: BLE001 - Django calls its handler inside its ``except``
            resp = api_handler500(request)
    html = resp.content.decode()
    assert resp.status_code == status and heading in html
    assert ("Retry-After" in resp) == (status == 503)
    assert resp["Content-Type"].startswith("text/html")
