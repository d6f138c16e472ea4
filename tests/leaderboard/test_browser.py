"""In a real browser: an organiser freezes a round's board, publishes the school ranking and
downloads its XLSX; an anonymous visitor reads the public page and verifies a certificate's
QR link."""

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from contest.models import Round
from contest.services import round_finalize
from leaderboard.models import Publication
from tests.leaderboard import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def build():
    w = f.world(communes=2, schools_per_commune=1)
    (s1, s2), (k1, k2) = w["schools"], w["classes"]
    now = timezone.now()
    c = f.contest(w["province"], name="Hội thi Số tỉnh", unit_prizes=[{"name": "Giải tập thể", "count": 1}])
    closed = f.round_(c, name="Tuần 1", opens=now - datetime.timedelta(days=2), hours=24)
    running = f.round_(c, name="Tuần 2", opens=now - datetime.timedelta(hours=1), hours=5)
    end = closed.opens_at + datetime.timedelta(hours=2)
    for i, name in enumerate(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]):
        f.attempt(closed, f.pupil(s1, k1, name), score=30 - i, time_s=300, submitted=end)
    f.attempt(closed, f.pupil(s2, k2, "Phạm Thị Dung"), score=40, time_s=300, submitted=end)
    with f.committed():
        round_finalize(round_id=closed.pk, now=closed.closes_at + datetime.timedelta(minutes=1))
    org = f.sf.staff("organiser", region=w["province"], username="btc_browser")
    return {"contest": c, "closed": closed, "running": running, "org": org, "schools": (s1, s2)}


def test_freeze_publish_download_and_verify(live_server_asgi, page, browser, tmp_path):
    d = build()
    base = live_server_asgi.url
    # Sessions are shared with the server (the test settings hash passwords differently).
    client = Client()
    client.force_login(d["org"])
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    page.goto(f"{base}/leaderboard/review/{d['contest'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xét duyệt xếp hạng")

    # Freeze the running round's board.
    row = page.get_by_test_id("rounds").locator("tr", has_text="Tuần 2")
    row.get_by_role("button", name="Đóng băng ngay").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã đóng băng")
    expect(page.get_by_test_id("rounds").locator("tr", has_text="Tuần 2").get_by_test_id("frozen-at")).to_be_visible()
    assert Round.objects.get(pk=d["running"].pk).board_freeze_at is not None

    # The school ranking of the closed round, then publish it.
    page.select_option("#kind", "school")
    page.get_by_label("Tuần 1").check()
    page.get_by_role("button", name="Xem").click()
    standings = page.get_by_test_id("standings")
    expect(standings).to_contain_text(d["schools"][0].name)
    page.get_by_role("button", name="Công bố bảng xếp hạng này").click()
    page.get_by_role("dialog", name="Công bố bảng xếp hạng?").get_by_role("button", name="Xác nhận công bố").click()
    expect(page.get_by_test_id("pub-meta")).to_contain_text("Phiên bản 1")
    pub = Publication.objects.get()
    assert pub.kind == "school" and pub.rows.count() == 2

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải XLSX").click()
    path = tmp_path / "ranking.xlsx"
    info.value.save_as(path)
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[2][0].startswith("Xếp theo:")  # the ordering key's legend
    assert values[3][:2] == ("Hạng", "Đơn vị")
    assert {values[4][1], values[5][1]} == {d["schools"][0].name, d["schools"][1].name}

    # A visitor, signed out, on a phone.
    visitor = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN").new_page()
    visitor.goto(f"{base}/leaderboard/")
    visitor.get_by_role("link", name=pub.title).click()
    expect(visitor.get_by_test_id("ranking")).to_contain_text(d["schools"][1].name)
    expect(visitor.locator("#chart-communes")).to_be_visible()
    winner = pub.rows.exclude(code=None).get()
    visitor.goto(f"{base}/leaderboard/verify/{winner.code}/")
    expect(visitor.get_by_test_id("verified")).to_contain_text("Giấy chứng nhận hợp lệ")
    expect(visitor.get_by_test_id("verify-prize")).to_have_text("Giải tập thể")
    assert visitor.locator(".qr svg").count() == 1
    visitor.screenshot(path=str(tmp_path / "verify.png"))
    visitor.context.close()


def test_export_page_follows_the_job_until_its_file_is_ready(live_server_asgi, page):
    """The export page's poller (static/js/jobs.js) reads the shared job JSON: the label moves
    to "Xong · 4/4" and the download link appears without a reload."""
    from leaderboard.scopes import Filters, ranking_scope
    from leaderboard.services import ranking_publish

    d = build()
    with f.committed():
        pub = ranking_publish(
            user=d["org"], scope=ranking_scope(d["contest"], [d["closed"].pk]), kind="individual", filters=Filters()
        )
    base = live_server_asgi.url
    client = Client()
    client.force_login(d["org"])
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    page.goto(f"{base}/leaderboard/p/{pub.pk}/exports/")
    page.get_by_role("button", name="Tạo tệp XLSX đầy đủ").click()
    row = page.locator("tr[data-job]")
    expect(row.locator("[data-role=label]")).to_have_text("Xong · 4/4", timeout=30_000)
    expect(row.get_by_role("link", name="Tải về")).to_be_visible()
    expect(row.locator("progress")).to_have_attribute("value", "100")
    assert row.get_attribute("data-status") == "done"
