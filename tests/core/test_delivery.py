"""What a cheap phone downloads: compressed pages, hashed static files cached for good, the JS
catalog cached per language and version, and module imports announced up front."""

import gzip
import re

import pytest
from django.templatetags.static import static

from core import jsi18n

pytestmark = pytest.mark.django_db

BROWSER_ENCODINGS = "gzip, deflate, br, zstd"
YEAR = 365 * 24 * 60 * 60


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def max_age(response) -> int:
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))


def test_pages_are_gzipped(client):
    response = client.get("/live/join/", HTTP_ACCEPT_ENCODING=BROWSER_ENCODINGS)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "Mã PIN trò chơi" in gzip.decompress(response.content).decode()


def test_static_files_have_hashed_names_and_are_immutable_and_compressed(client):
    url = static("live/play.js")
    assert re.fullmatch(r"/static/live/play\.[0-9a-f]{12}\.js", url)
    response = client.get(url, HTTP_ACCEPT_ENCODING=BROWSER_ENCODINGS)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    assert max_age(response) >= YEAR
    gz = client.get(static("css/app.css"), HTTP_ACCEPT_ENCODING="gzip")
    assert gz["Content-Encoding"] == "gzip"
    assert b"{" in gzip.decompress(body(gz))


def test_module_imports_point_at_hashed_files(client):
    play = body(client.get(static("live/play.js"))).decode()
    assert f'from "{static("js/realtime.js")}"' in play
    assert re.search(r'from "\./common\.[0-9a-f]{12}\.js"', play)


def test_pages_preload_every_module_a_script_imports(client):
    html = client.get("/live/join/").content.decode()
    preloads = re.findall(r'<link rel="modulepreload" href="([^"]+)">', html)
    assert static("js/realtime.js") in preloads
    assert static("live/common.js") in preloads
    assert f'<script type="module" src="{static("live/play.js")}"></script>' in html


def test_js_catalog_is_versioned_per_language_and_cached(client):
    vi_page = client.get("/live/join/").content.decode()
    url = re.search(r'<script src="(/jsi18n/[^"]+)" defer></script>', vi_page).group(1)
    assert url == f"/jsi18n/vi/{jsi18n.catalog_version()}.js"
    response = client.get(url, HTTP_ACCEPT_ENCODING=BROWSER_ENCODINGS)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    assert max_age(response) >= YEAR
    assert "gettext" in gzip.decompress(response.content).decode()

    client.cookies["django_language"] = "en"
    en_page = client.get("/live/join/").content.decode()
    assert f'src="/jsi18n/en/{jsi18n.catalog_version()}.js"' in en_page
    en = client.get(f"/jsi18n/en/{jsi18n.catalog_version()}.js").content.decode()
    assert "Connecting" in en


def test_js_catalog_of_an_old_version_is_served_but_not_kept(client):
    response = client.get("/jsi18n/vi/000000000000.js")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    assert client.get(f"/jsi18n/xx/{jsi18n.catalog_version()}.js").status_code == 404
