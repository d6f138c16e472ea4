"""The first paint does not wait for the stylesheets: Chromium paints a page with its inline
critical CSS (allowed by its hash, no CSP violation) while every .css request is held, and the
whole stylesheets apply once they arrive."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.support.crawl import RECORD_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_PAINT = "performance.getEntriesByName('first-contentful-paint').length > 0"
LOADED_SHEETS = "[...document.styleSheets].filter((s) => s.href && s.cssRules.length).length"
BRAND_BLUE = "rgb(11, 92, 173)"


def _wait_until(page, expression: str, timeout: float = 15.0) -> None:
    """Poll ``expression`` with ``page.evaluate`` (DevTools, not held by the CSP);
    ``page.wait_for_function`` evaluates a string in the page, which the CSP refuses."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        time.sleep(0.02)


def _hold_stylesheets(page) -> list:
    held: list = []
    page.route("**/*.css", lambda route: held.append(route))
    return held


@pytest.mark.parametrize("path", ["/", "/live/join/"])
def test_page_paints_with_its_critical_css_before_the_stylesheets_arrive(live_server_asgi, page, path):
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(RECORD_VIOLATIONS)
    held = _hold_stylesheets(page)
    page.goto(live_server_asgi.url + path, wait_until="commit")
    _wait_until(page, FIRST_PAINT)
    # Painted, while the stylesheets are still on their way.
    assert held, "the page asked for no stylesheet"
    assert page.evaluate(LOADED_SHEETS) == 0
    header = page.locator(".site-header")
    expect(header).to_have_css("background-color", BRAND_BLUE)
    expect(page.locator(".skip-link")).not_to_be_in_viewport()
    if path == "/live/join/":
        # The PIN form as a card; the name and roster forms stay hidden (.play [hidden]).
        expect(page.locator("#pin-form")).to_have_css("border-radius", "10px")
        expect(page.locator("#pin-form .btn.primary")).to_have_css("background-color", BRAND_BLUE)
        expect(page.locator("#name-form")).to_be_hidden()
        expect(page.locator("#roster-form")).to_be_hidden()
    # The whole stylesheets then arrive and apply.
    for route in held:
        route.continue_()
    page.wait_for_load_state("load")
    links = page.evaluate("document.querySelectorAll('link[rel=stylesheet]').length")
    assert links == len(held)
    _wait_until(page, f"({LOADED_SHEETS}) === {links}")
    assert page.evaluate("window.__csp") == []
    assert console == []


def test_without_the_inline_style_nothing_is_styled_while_the_stylesheets_are_held(live_server_asgi, page):
    """The check above can fail: a page whose <style> is refused (the CSP without its hash)
    shows the browser's default look."""
    page.route("**/accounts/login/", _refuse_critical_css)
    held = _hold_stylesheets(page)
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(live_server_asgi.url + "/accounts/login/", wait_until="commit")
    _wait_until(page, FIRST_PAINT)
    assert held
    expect(page.locator(".site-header")).not_to_have_css("background-color", BRAND_BLUE)
    assert [v["directive"] for v in page.evaluate("window.__csp")] == ["style-src-elem"]
    for route in held:
        route.continue_()


def _refuse_critical_css(route):
    """The page as the server sent it, with the critical styles' hashes taken out of its CSP."""
    response = route.fetch()
    headers = {k: v for k, v in response.headers.items() if k not in ("content-encoding", "content-length")}
    headers["content-security-policy"] = re.sub(r" 'sha256-[^']+'", "", headers["content-security-policy"])
    assert "style-src 'self';" in headers["content-security-policy"]
    route.fulfill(status=response.status, headers=headers, body=response.body())
