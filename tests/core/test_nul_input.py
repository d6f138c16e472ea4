"""A NUL character in any text input answers 400 with the JSON error and changes nothing.

PostgreSQL refuses NUL in text where SQLite keeps it, so these answered 500 on PostgreSQL
only: CI runs this file there (``DATABASE_URL``), and it fails on SQLite too without the
check (200 instead of 400).
"""

import pytest
from django.contrib.auth import get_user_model
from drf_spectacular.generators import SchemaGenerator

from schools.models import Region
from tests.schools import factories as sf

pytestmark = pytest.mark.django_db


def _query_operations():
    """Every GET operation without path parameters and the query parameters it documents."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        op = item.get("get")
        if op is None or "{" in path:
            continue
        names = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
        if names:
            yield path, names


QUERY_OPERATIONS = list(_query_operations())


def _assert_refused(resp):
    assert resp.status_code == 400, (resp.status_code, resp.content[:200])
    assert resp.json()["error"]["code"] == "invalid"


def test_the_schema_lists_filters_to_try():
    paths = {path for path, _names in QUERY_OPERATIONS}
    assert {"/api/schools/regions/", "/api/schools/schools/", "/api/schools/registrations/"} <= paths


def test_anonymous_region_search_with_nul(client):
    sf.province()
    _assert_refused(client.get("/api/schools/regions/", {"q": "\x00"}))
    _assert_refused(client.get("/api/schools/regions/", {"q": "Vĩnh\x00Long"}))


@pytest.mark.parametrize(("path", "names"), QUERY_OPERATIONS, ids=[p for p, _n in QUERY_OPERATIONS])
def test_every_documented_filter_refuses_nul(client, path, names):
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    for name in names:
        _assert_refused(client.get(path, {name: "a\x00b"}))


def test_question_filters_and_path_parameters_refuse_nul(client):
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    for name in ("q", "topic", "type", "status", "owner", "language"):
        _assert_refused(client.get("/api/quizbank/questions/", {name: "\x00"}))
    _assert_refused(client.get("/api/schools/regions/86%00/schools/"))
    _assert_refused(client.get("/api/schools/schools/%00/"))


def test_json_body_with_nul_changes_nothing(client):
    province = sf.province()
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    resp = client.post(
        "/api/schools/regions/",
        '{"code": "87", "name": "\\u0000Đồng Tháp", "kind": "province"}',
        content_type="application/json",
    )
    _assert_refused(resp)
    assert list(Region.objects.all()) == [province]
    # An escaped backslash followed by "u0000" is text, not a NUL: not refused for that.
    resp = client.get("/api/schools/regions/", {"q": "\\u0000"})
    assert resp.status_code == 200


def test_a_page_filter_with_nul_is_a_400_page(client):
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    assert client.get("/quizbank/", {"q": "\x00"}).status_code == 400
    assert client.post("/quizbank/new/", {"stem": "a\x00"}).status_code == 400


@pytest.mark.parametrize(
    "path",
    ["/api/live/games/161359600697314262384640/add-time/", "/api/contest/attempts/99999999999999999999999/"],
)
def test_an_id_past_64_bits_is_a_json_404_not_a_500(client, path):
    client.force_login(sf.staff("organiser", region=sf.province(), username="btc-big-id"))
    resp = client.post(path, data="{}", content_type="application/json")
    assert resp.status_code == 404
    assert resp.json()["error"]["code"] == "not_found"


def test_a_page_with_an_id_past_64_bits_is_a_404(client):
    assert client.get("/contest/rounds/99999999999999999999999/").status_code == 404
