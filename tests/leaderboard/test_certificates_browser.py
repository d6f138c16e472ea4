"""In Chromium, on the demo data: the public page behind a certificate's QR code shows no more of
the name than the public ranking; after the organisers disqualify the winner and republish, the
winner's old certificate reads "đã thu hồi" with the reason and a link to the current result,
while a certificate whose prize did not change stays valid with a note (issue #19, part 1)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from contest.models import Attempt, Contest
from leaderboard import services
from leaderboard.models import Publication
from leaderboard.scopes import Filters, ranking_scope

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NOTE = "Loại một bài thi vi phạm thể lệ, công bố lại."


def _republish_without_the_winner(pub, winner):
    organiser = get_user_model().objects.get(username="bantochuc")
    rounds = list(pub.rounds.all())
    for attempt in Attempt.objects.filter(student_id=winner.subject_id, round__in=rounds, disqualified=False):
        services.attempt_review(user=organiser, attempt_id=attempt.pk, action="disqualify", reason="Làm bài hộ")
    return services.ranking_publish(
        user=organiser,
        scope=ranking_scope(pub.contest, [r.pk for r in rounds]),
        kind=pub.kind,
        filters=Filters(),
        note=NOTE,
    )


def test_demo_certificate_verification_before_and_after_a_republication(live_server_asgi, browser, tmp_path):
    call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())
    pub = Publication.objects.get(kind="individual", is_demo=True, superseded_at=None)
    winner = pub.rows.exclude(code=None).order_by("position").first()
    base = live_server_asgi.url
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN").new_page()
    phone.set_default_timeout(15_000)

    # What the public ranking shows of the winner, and what the verification page shows.
    phone.goto(f"{base}/leaderboard/p/{pub.pk}/")
    shown = phone.get_by_test_id("row-name").first.evaluate("td => td.firstChild.textContent.trim()")
    phone.goto(f"{base}/leaderboard/verify/{winner.code}/")
    expect(phone.get_by_test_id("verified")).to_contain_text("Giấy chứng nhận hợp lệ")
    expect(phone.get_by_test_id("verify-name")).to_have_text(shown)
    expect(phone.get_by_test_id("verify-prize")).to_have_text(winner.prize)
    expect(phone.get_by_test_id("verify-number")).to_have_text(f"{pub.pk}-{winner.position:04d}/GCN")
    if shown != winner.name:
        expect(phone.locator("main, body").first).not_to_contain_text(winner.name)
    phone.screenshot(path=str(tmp_path / "verify-valid-390.png"), full_page=True)

    v2 = _republish_without_the_winner(pub, winner)
    kept = next(
        (old, new)
        for old in pub.rows.exclude(code=None).order_by("position")
        for new in v2.rows.filter(subject_id=old.subject_id)
        if new.prize == old.prize
    )

    # The winner's old certificate is revoked, says why, and leads to the current result.
    phone.goto(f"{base}/leaderboard/verify/{winner.code}/")
    revoked = phone.get_by_test_id("revoked")
    expect(revoked).to_contain_text("đã thu hồi")
    expect(phone.get_by_test_id("revoked-reason")).to_contain_text("Bài thi đã bị Ban tổ chức loại.")
    expect(phone.get_by_test_id("revoked-reason")).to_contain_text(NOTE)
    expect(phone.get_by_test_id("revoked-reason")).not_to_contain_text("Làm bài hộ")
    phone.screenshot(path=str(tmp_path / "verify-revoked-390.png"), full_page=True)
    link = phone.get_by_test_id("current-ranking")
    link.focus()
    phone.keyboard.press("Enter")  # by keyboard
    expect(phone).to_have_url(f"{base}/leaderboard/p/{v2.pk}/")
    expect(phone.get_by_test_id("pub-meta")).to_contain_text("Phiên bản 2")

    # A prize that did not change: the old certificate stands, with a note and the new one.
    old, new = kept
    desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
    desk.goto(f"{base}/leaderboard/verify/{old.code}/")
    expect(desk.get_by_test_id("verified")).to_contain_text("Giấy chứng nhận hợp lệ")
    expect(desk.get_by_test_id("newer-version")).to_contain_text("phiên bản 2")
    expect(desk.get_by_test_id("revoked")).to_have_count(0)
    desk.get_by_role("link", name="Xem giấy chứng nhận theo phiên bản mới").click()
    expect(desk).to_have_url(f"{base}/leaderboard/verify/{new.code}/")
    expect(desk.get_by_test_id("newer-version")).to_have_count(0)
    expect(desk.get_by_test_id("verify-prize")).to_have_text(old.prize)
    desk.screenshot(path=str(tmp_path / "verify-current-1366.png"), full_page=True)


def test_organiser_sets_the_minimum_score_and_the_signer_on_the_demo_contest(live_server_asgi, browser):
    call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())
    contest = Contest.objects.get(is_demo=True)
    client = Client()
    client.force_login(get_user_model().objects.get(username="bantochuc"))
    base = live_server_asgi.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/contest/manage/contests/{contest.pk}/edit/")
    expect(page.get_by_label("Cơ quan tổ chức (in trên giấy chứng nhận)")).to_have_value(
        "Sở Giáo dục và Đào tạo Vĩnh Long"
    )
    field = page.get_by_label("Điểm tối thiểu để đạt giải cá nhân")
    field.fill("-3")
    page.get_by_label("Họ và tên người ký").fill("Võ Văn Kiệt")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("form.form")).to_contain_text("Điểm tối thiểu phải từ 0 đến 100.000.")
    contest.refresh_from_db()
    assert contest.prize_min_score is None and contest.signer_name == "Nguyễn Thị Minh Hằng"  # nothing saved

    page.get_by_label("Điểm tối thiểu để đạt giải cá nhân").fill("7,5")
    page.get_by_label("Họ và tên người ký").press("Enter")  # by keyboard
    expect(page.get_by_test_id("prize-min-score")).to_have_text("7,5")
    expect(page.get_by_test_id("paper-issuer")).to_contain_text("Võ Văn Kiệt")
    contest.refresh_from_db()
    assert contest.prize_min_score == 7.5 and contest.signer_name == "Võ Văn Kiệt"
    context.close()
