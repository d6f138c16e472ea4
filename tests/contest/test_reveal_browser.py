"""In a real browser, as a pupil sees it: with "nothing after the attempt, everything after
the close", the round's board keeps scores and ranks back until the close; then the board
shows them, and the result page marks the unanswered question wrong. And as an organiser sees
it: the round form refuses "show answers after the attempt" with more attempts allowed."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from contest import services
from contest.models import Reveal, Round
from tests.contest import factories as cf
from tests.contest.helpers import versions_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def build():
    w = cf.world(students=2)
    r = cf.round_(
        w, n_questions=3, reveal_during=Reveal.NOTHING, reveal_after_attempt=Reveal.NOTHING,
        reveal_after_close=Reveal.EXPLANATIONS,
    )  # fmt: skip
    pupil = w.students[0]
    attempt = services.attempt_start(user=pupil, round_=r)
    first = versions_of(attempt)[0]
    now = timezone.now()
    services.answer_save(
        user=pupil, attempt_id=attempt.pk, version_id=first.pk, response=cf.correct_response(first), received_at=now
    )
    services.attempt_submit(user=pupil, attempt_id=attempt.pk, now=now)
    return w, r, pupil, attempt


def sign_in(page, base, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])


def test_the_board_waits_for_the_close_then_shows_the_score(live_server_asgi, page, tmp_path):
    _w, r, pupil, attempt = build()
    base = live_server_asgi.url
    sign_in(page, base, pupil)

    page.goto(f"{base}/leaderboard/rounds/{r.pk}/")
    expect(page.get_by_test_id("hidden-note")).to_be_visible()
    board = page.get_by_test_id("board")
    expect(board).to_contain_text("Điểm và thứ hạng chưa được công bố.")
    expect(board.locator("tr.me")).to_have_count(0)
    expect(page.get_by_test_id("mine")).to_be_hidden()
    page.screenshot(path=str(tmp_path / "board-hidden.png"), full_page=True)

    Round.objects.filter(pk=r.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=10))
    page.goto(f"{base}/leaderboard/rounds/{r.pk}/")
    expect(board.locator("tr.me")).to_contain_text("10")
    expect(page.get_by_test_id("hidden-note")).to_be_hidden()
    expect(page.get_by_test_id("mine")).to_contain_text("1/1")

    page.goto(f"{base}/contest/attempts/{attempt.pk}/result/")
    expect(page.get_by_test_id("score")).to_have_text("10")
    unanswered = page.locator("article", has_text="Chưa trả lời")
    expect(unanswered).to_have_count(2)
    for i in range(2):
        expect(unanswered.nth(i).locator(".badge.err")).to_have_text("Sai")


def test_the_round_form_refuses_answers_after_an_attempt_with_more_attempts(live_server_asgi, page):
    w = cf.world(students=1)
    r = cf.round_(w, n_questions=2, attempts_policy="unlimited", reveal_after_attempt=Reveal.SCORE)
    base = live_server_asgi.url
    sign_in(page, base, w.organiser)
    page.goto(f"{base}/contest/manage/rounds/{r.pk}/edit/")
    page.select_option("#id_reveal_after_attempt", str(Reveal.ANSWERS))
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#round-form")).to_contain_text("đáp án chỉ được hiện sau khi vòng thi đóng")
    r.refresh_from_db()
    assert r.reveal_after_attempt == Reveal.SCORE
