"""The home page in a real browser: Vietnamese first, English on request, the clock socket."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_vietnamese_then_english_and_time_sync(live_server_asgi, page):
    page.goto(live_server_asgi.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hội thi Số")

    # The clock socket answered: the page shows a server time and an offset.
    expect(page.get_by_test_id("clock-offset")).to_have_attribute("data-synced", "1")
    expect(page.get_by_test_id("server-clock")).to_have_text(re.compile(r"^\d\d:\d\d:\d\d$"))

    # On a 360 px phone the menu is behind the toggle; the language switcher is inside it.
    page.get_by_role("button", name="Trình đơn").click()
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Đăng nhập")).to_be_visible()
    page.locator("#lang-select").select_option("en")
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_test_id("clock-offset")).to_have_attribute("data-synced", "1")
    expect(page.get_by_test_id("clock-offset")).to_contain_text("ms")
