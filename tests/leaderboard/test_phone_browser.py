"""The public ranking of the demo data on a 360 px phone: the charts are SVG drawn by the
server, with every label whole; the table scrolls sideways with a visible cue and by keyboard,
and no chart library is downloaded."""

import threading

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import expect

from leaderboard.models import Publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_tables_reachable(page):
    """Every table fits, or scrolls in its own box with a hint and a keyboard stop."""
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    boxes = page.locator(".table-scroll")
    overflowing = 0
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if not box.is_visible():
            continue
        if not box.evaluate("b => b.scrollWidth > b.clientWidth + 1"):
            continue
        overflowing += 1
        expect(box).to_have_class("table-scroll scrolls")
        expect(box).to_have_attribute("tabindex", "0")
        hint = box.evaluate("b => getComputedStyle(b, '::before').content")
        assert "Vuốt ngang" in hint
        assert "radial-gradient" in box.evaluate("b => getComputedStyle(b).backgroundImage")
        # By keyboard: focus the box, End scrolls to the last column, which is then in view.
        box.focus()
        for _ in range(40):
            if box.evaluate("b => b.scrollLeft + b.clientWidth >= b.scrollWidth - 1"):
                break
            page.keyboard.press("ArrowRight")
        last = box.locator("th").last
        b_box, l_box = box.bounding_box(), last.bounding_box()
        assert l_box["x"] + l_box["width"] <= b_box["x"] + b_box["width"] + 1
    return overflowing


def seed_demo():
    """In a thread of its own: the browser's event loop in this one would refuse the seed's
    realtime sends (async_to_sync)."""

    def run():
        try:
            call_command("seed_demo", allow_demo_passwords=True)
        finally:
            connections.close_all()

    seeder = threading.Thread(target=run)
    seeder.start()
    seeder.join()


def test_public_ranking_on_a_phone(live_server_asgi, page):
    seed_demo()
    pub = Publication.objects.filter(superseded_at__isnull=True).order_by("pk").first()
    assert pub is not None, "the demo seed publishes a ranking"
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{live_server_asgi.url}/leaderboard/p/{pub.pk}/")

    charts = page.locator("figure.hbar-chart")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 2
    assert page.locator("canvas").count() == 0
    assert not [u for u in requests if "chart" in u.lower()]
    communes = page.get_by_test_id("chart-communes")
    expect(communes.locator("svg.hbar rect:not(.track)")).to_have_count(len(pub.summary["communes"]))
    # Each label is whole on the screen: inside the viewport and not clipped by its box.
    for label in page.locator(".hbar-label").all():
        label.scroll_into_view_if_needed()
        box = label.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, label.inner_text()
        assert label.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), label.inner_text()
    longest = max(pub.summary["school_rates"], key=lambda s: len(s["name"]))["name"]
    expect(page.get_by_test_id("chart-schools")).to_contain_text(longest)

    assert assert_tables_reachable(page) >= 1
