"""A person guessing passwords on the login page is stopped, and told so in words (issue 18)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from core.hashers import card_hash

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_says_when_guessing_is_limited(live_server_asgi, page):
    get_user_model().objects.create(username="tranthib-browser", password=card_hash("k7m2p9qx"))
    page.goto(live_server_asgi.url + "/accounts/login/")
    for i in range(10):
        page.get_by_label("Tên đăng nhập").fill("tranthib-browser")
        page.get_by_label("Mật khẩu").fill(f"doan-sai-{i}")
        page.get_by_role("button", name="Đăng nhập").last.click()
        expect(page.get_by_role("alert")).to_contain_text("mật khẩu chính xác")
    # The right password now waits: the page says why, in Vietnamese.
    page.get_by_label("Tên đăng nhập").fill("tranthib-browser")
    page.get_by_label("Mật khẩu").fill("k7m2p9qx")
    page.get_by_role("button", name="Đăng nhập").last.click()
    expect(page.get_by_role("alert")).to_contain_text("Bạn đã đăng nhập sai quá nhiều lần")
    expect(page.get_by_role("alert")).to_contain_text("phút")
    assert "/accounts/login/" in page.url
