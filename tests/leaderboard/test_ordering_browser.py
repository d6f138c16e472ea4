"""In Chromium, on the demo data: the published school ranking says what it is ordered by, marks
that column, and shows the participation rate with enough decimals that its order is visible
(issue #11 item 2). Before, the rates read "1 %" and nothing said why rank 1 was first."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from leaderboard.models import Publication

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _rate(text: str) -> float | None:
    text = text.strip()
    return None if text == "–" else float(text.replace("\u00a0", " ").removesuffix(" %").replace(",", "."))


def test_demo_school_ranking_names_and_shows_its_ordering_key(live_server_asgi, page):
    call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())
    pub = Publication.objects.get(kind="school", is_demo=True, superseded_at=None)
    assert pub.metric == "participation_rate"
    page.goto(f"{live_server_asgi.url}/leaderboard/p/{pub.pk}/")
    expect(page.get_by_test_id("ordering-legend")).to_have_text(
        "Xếp theo: Tỉ lệ tham gia (cao trước); bằng nhau thì cùng hạng."
    )
    header = page.get_by_test_id("ordering-key")
    expect(header).to_contain_text("Tỉ lệ")
    expect(header).to_have_attribute("aria-sort", "descending")
    cells = page.locator("[data-testid=ranking] tbody td.ordering-key").all_inner_texts()
    assert cells and all(re.fullmatch(r"\d+,\d{2,4} %|–", c.strip()) for c in cells), cells
    rates = [r for r in (_rate(c) for c in cells) if r is not None]
    assert rates == sorted(rates, reverse=True)
    ranks = [int(t) for t in page.locator("[data-testid=ranking] tbody tr td:first-child").all_inner_texts()]
    # Rows of different shown rates have different ranks: the order is visible.
    shown = [c.strip() for c in cells]
    for i in range(1, len(shown)):
        if shown[i] != shown[i - 1] and shown[i] != "–":
            assert ranks[i] > ranks[i - 1]
