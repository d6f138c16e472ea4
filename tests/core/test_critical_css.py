"""Critical CSS inlined in <head> and allowed by its hash in the CSP; the whole stylesheets
linked after the content (core/critical_css.py, tag ``{% stylesheet %}``)."""

import base64
import hashlib
import re

import pytest
from django.templatetags.static import static

from core.critical_css import critical, extract, minify, style_hash, with_style_hashes
from tests.schools import factories as sf

pytestmark = pytest.mark.django_db

STYLE_RE = re.compile(r"<style>(.*?)</style>", re.S)


def style_src(response) -> list[str]:
    for directive in response["Content-Security-Policy"].split(";"):
        words = directive.split()
        if words and words[0] == "style-src":
            return words[1:]
    raise AssertionError("no style-src")


def sha256_source(text: str) -> str:
    # Computed here the way a browser does, not with the code under test.
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@pytest.mark.parametrize(
    ("url", "sheets"),
    [
        ("/", ["css/app.css"]),
        ("/accounts/login/", ["css/app.css"]),
        ("/live/join/", ["css/app.css", "live/live.css"]),
    ],
)
def test_inline_styles_are_the_critical_css_and_their_hashes_are_in_the_csp(client, url, sheets):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    head, body = html.split("</head>", 1)
    styles = STYLE_RE.findall(head)
    assert styles == [critical(name) for name in sheets]
    allowed = style_src(response)
    assert "'self'" in allowed and "'unsafe-inline'" not in allowed
    for css in styles:
        assert sha256_source(css) in allowed
    assert not STYLE_RE.findall(body)
    # The whole files: not in <head> (they would block the first paint), linked after the content.
    assert 'rel="stylesheet"' not in head
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)">', body)
    assert links == [static(name) for name in sheets]
    assert body.index("</footer>") < body.index(links[0]) < body.index("<script")


def test_the_inline_style_holds_the_marked_rules_of_the_source():
    css = critical("live/live.css")
    assert ".play [hidden]" in css  # forms hidden until play.js shows them stay hidden
    assert ".tile{" in css and ".tile-red{--tile: #e21b3c;}" in css
    assert ".podium" not in css and ".live-screen .pin" not in css  # not on a phone's first paint
    assert "/*" not in css and "\n" not in css


def test_a_stylesheet_without_critical_rules_is_linked_in_head(client):
    pupil = sf.student(sf.school(sf.commune(sf.province())))
    client.force_login(pupil.user)
    response = client.get("/schools/me/")
    assert response.status_code == 200
    head, body = response.content.decode().split("</head>", 1)
    assert critical("schools/schools.css") == ""
    assert f'<link rel="stylesheet" href="{static("schools/schools.css")}">' in head
    assert STYLE_RE.findall(head) == [critical("css/app.css")]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)">', body) == [static("css/app.css")]


def test_api_and_static_responses_keep_the_plain_policy(client, settings):
    response = client.get("/api/schools/regions/")
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "sha256" not in response["Content-Security-Policy"]


def test_api_docs_keep_unsafe_inline_without_hashes(client):
    # A hash in style-src would switch 'unsafe-inline' off, and Swagger UI's styles with it.
    response = client.get("/api/docs/")
    allowed = style_src(response)
    assert "'unsafe-inline'" in allowed
    assert not [s for s in allowed if s.startswith("'sha256-")]


def test_extract_and_minify():
    source = "a { color: red; }\n/* critical */\n/* a note */\n.b :hover {\n  color: blue;\n}\n/* /critical */\n.c{}"
    assert extract(source) == ".b :hover{color: blue;}"
    assert extract(source + "/* critical */ .d { x: y; } /* /critical */") == ".b :hover{color: blue;}.d{x: y;}"
    assert extract("a { b: c; }") == ""
    assert minify("a  >  b {\n c : d ;\n}") == "a > b{c : d;}"
    with pytest.raises(ValueError, match="unbalanced"):
        extract("/* critical */ a { b: c; }")
    with pytest.raises(ValueError, match="</"):
        extract('/* critical */ a::after { content: "</style>"; } /* /critical */')
    assert style_hash("a{b: c;}") == sha256_source("a{b: c;}")


def test_hashes_join_the_style_src_of_any_policy():
    hashes = ("'sha256-AAA='", "'sha256-BBB='")
    assert (
        with_style_hashes("default-src 'self'; style-src 'self'; img-src 'self'", hashes)
        == "default-src 'self'; style-src 'self' 'sha256-AAA=' 'sha256-BBB='; img-src 'self'"
    )
    # No style-src: styles fall back on default-src, whose sources the new directive keeps.
    assert (
        with_style_hashes("default-src 'self' cdn.example; frame-ancestors 'none'", hashes)
        == "default-src 'self' cdn.example; frame-ancestors 'none'; "
        "style-src 'self' cdn.example 'sha256-AAA=' 'sha256-BBB='"
    )
    assert with_style_hashes("frame-ancestors 'none'", hashes) == "frame-ancestors 'none'"  # styles unrestricted
    assert with_style_hashes("style-src 'self' 'unsafe-inline'", hashes) == "style-src 'self' 'unsafe-inline'"
    assert with_style_hashes("", hashes) == ""


def test_the_icon_is_in_the_page_and_favicon_ico_stays(client):
    """A cold phone does not fetch a 4 KB icon: it is a small SVG in the page itself."""
    from urllib.parse import unquote
    from xml.etree import ElementTree

    html = client.get("/").content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)">', html).group(1)
    assert href.startswith("data:image/svg+xml,") and len(href) < 400
    svg = ElementTree.fromstring(unquote(href.split(",", 1)[1]))  # noqa: S314 - our own template
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert client.get("/favicon.ico", follow=True).status_code == 200
