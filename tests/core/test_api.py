"""The API base: one error shape, translated messages, token auth, the OpenAPI schema."""

import pytest
from django.contrib.auth import get_user_model

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
