"""The round form's date-times in Chromium set to English (en-US, a 12-hour locale): two text
fields, dd/mm/yyyy and HH:mm 24-hour, shown and read back as every page prints them."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contest.models import Round
from tests.contest import factories as cf
from tests.contest.test_browser import session_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_round_form_reads_and_writes_vietnamese_date_times(live_server_asgi, browser):
    w = cf.world(students=1)
    r = cf.round_(w, n_questions=1)
    closes = timezone.localtime(r.closes_at)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.context.add_cookies([{"name": "sessionid", "value": session_key(w.organiser), "url": live_server_asgi.url}])
    try:
        page.goto(f"{live_server_asgi.url}/contest/manage/rounds/{r.pk}/edit/")
        date, time = page.locator("[name=closes_at_0]"), page.locator("[name=closes_at_1]")
        expect(date).to_have_value(closes.strftime("%d/%m/%Y"))
        expect(time).to_have_value(closes.strftime("%H:%M"))
        assert date.get_attribute("type") == "text" and time.get_attribute("type") == "text"
        expect(page.get_by_label("Đóng lúc")).to_have_value(closes.strftime("%d/%m/%Y"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        # A date that does not exist: a clear error, the round unchanged, the typed text kept.
        date.fill("31/02/2027")
        time.fill("22:08")
        page.locator("form button[type=submit]").last.click()
        expect(page.get_by_text("Nhập ngày dạng dd/mm/yyyy và giờ dạng HH:mm (24 giờ).")).to_be_visible()
        expect(page.locator("[name=closes_at_0]")).to_have_value("31/02/2027")
        assert Round.objects.get(pk=r.pk).closes_at == r.closes_at

        page.locator("[name=closes_at_0]").fill("05/01/2027")
        page.locator("[name=closes_at_1]").fill("22:08")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(lambda url: "/edit/" not in url)
        saved = timezone.localtime(Round.objects.get(pk=r.pk).closes_at)
        assert (saved.date(), saved.hour, saved.minute) == (datetime.date(2027, 1, 5), 22, 8)
        page.goto(f"{live_server_asgi.url}/contest/manage/rounds/{r.pk}/")
        expect(page.locator("body")).to_contain_text("05/01/2027 22:08")
    finally:
        context.close()
