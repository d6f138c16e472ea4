"""Script in content: question text, choices, explanations, a nickname, a school name and a class
name carrying ``<script>``, ``javascript:`` links and event-handler attributes, created through
the real services and rendered in Chromium on the pages that show them. No script runs, no
dialog opens, and the DOM holds no element built from the payload (no event-handler attribute,
no ``javascript:`` URL, no script carrying it) — the last checks fail even where the
Content-Security-Policy would have stopped the script, so an escape removed is caught."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from quizbank.models import Status
from tests.live.factories import World
from tests.quizbank import factories as qf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def payload(label: str) -> str:
    """A visible label followed by the three attacks; each would set ``window.__pwned``."""
    return (
        f"{label} <script>window.__pwned=1;document.title='pwned'</script>"
        f'<img src=x onerror="window.__pwned=2;alert(2)">'
        f' [bấm](javascript:window.__pwned=3) <a href="javascript:window.__pwned=4">nhấn</a>'
    )


NICKNAME = "Mèo<svg onload=alert(9)>"
CLASS_NAME = "9A<svg onload=alert(7)>"  # 23 characters: the nickname limit is 24

PROBE = """() => {
  const all = [...document.querySelectorAll('*')];
  return {
    pwned: window.__pwned === undefined ? null : window.__pwned,
    title: document.title,
    handlers: all.filter(e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on')))
                 .map(e => e.outerHTML.slice(0, 120)),
    js_urls: all.filter(e => ['href', 'src', 'action', 'formaction'].some(
                 a => (e.getAttribute(a) || '').trim().toLowerCase().startsWith('javascript:')))
                 .map(e => e.outerHTML.slice(0, 120)),
    scripts: [...document.scripts].filter(s => s.textContent.includes('__pwned')).length,
    text: document.body.innerText,
  };
}"""


class Watch:
    """Dialogs opened on any watched page (an ``alert`` from the payload)."""

    def __init__(self):
        self.dialogs = []

    def page(self, context):
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        return page


def assert_inert(page, *labels):
    found = page.evaluate(PROBE)
    where = page.url
    for label in labels:
        assert label in found["text"], (where, label, "the hostile content is not on the page")
    assert found["pwned"] is None, (where, found["pwned"])
    assert "pwned" not in found["title"], where
    assert not found["handlers"], (where, found["handlers"])
    assert not found["js_urls"], (where, found["js_urls"])
    assert not found["scripts"], where


def _session(browser, base, user, **options):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="vi-VN", **options)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    return context


def test_live_game_tiles_projector_and_host_run_no_script(browser, live_server_asgi):
    world = World(questions=0)
    content = qf.single(stem=payload("XSS-STEM"), correct=1, explanation=payload("XSS-EXPL"))
    content["choices"][0]["text"] = payload("XSS-CHOICE")
    world.questions = [qf.make(content=content, status=Status.APPROVED)]
    game = world.game(mode="classic", time_limit_s=60)
    base = live_server_asgi.url
    watch = Watch()

    host_ctx = _session(browser, base, world.teacher, viewport={"width": 1280, "height": 800})
    host = watch.page(host_ctx)
    host.goto(f"{base}/live/{game.pk}/host/")
    expect(host.locator("#conn")).to_have_text("Đã kết nối")
    screen = watch.page(host_ctx)
    screen.goto(f"{base}/live/{game.pk}/screen/")

    phone_ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    phone = watch.page(phone_ctx)
    phone.goto(f"{base}/live/join/?pin={game.pin}")
    phone.fill("#nickname", NICKNAME)
    phone.click("#name-form button[type=submit]")
    expect(phone.locator("#play-stage")).to_contain_text("Bạn đã vào trò chơi!")
    expect(phone.locator("#me")).to_have_text(NICKNAME)  # shown as text
    expect(host.locator(".chips li")).to_have_count(1)
    assert_inert(host, NICKNAME)
    assert_inert(phone, NICKNAME)

    host.click("#btn-next")
    expect(host.locator("#stage-body")).to_contain_text("XSS-STEM")
    expect(phone.locator("#play-stage .tile")).to_have_count(4)
    expect(screen.locator("body")).to_contain_text("XSS-STEM")
    assert_inert(host, "XSS-STEM", "XSS-CHOICE")
    assert_inert(screen, "XSS-STEM", "XSS-CHOICE")
    assert_inert(phone, "XSS-CHOICE")

    phone.locator("#play-stage .tile").nth(0).click()  # wrong: the reveal and explanation follow
    expect(phone.locator("#play-stage")).to_contain_text(re.compile("Chưa đúng"))
    expect(host.locator("#dist")).to_be_visible()
    assert_inert(host, "XSS-STEM")
    assert_inert(screen, "XSS-STEM")
    assert_inert(phone)
    host.click("#btn-next")  # the podium (one question)
    expect(host.locator("#stage-body")).to_contain_text(NICKNAME)
    expect(screen.locator("body")).to_contain_text(NICKNAME)
    for page in (host, screen, phone):
        assert_inert(page, NICKNAME)
    assert not watch.dialogs, watch.dialogs
    host_ctx.close()
    phone_ctx.close()


def test_bank_attempt_review_and_public_ranking_run_no_script(browser, live_server_asgi):
    import datetime

    from django.utils import timezone

    from contest import services as contest_services
    from contest.models import Round
    from contest.services import round_finalize
    from leaderboard.scopes import Filters, ranking_scope
    from leaderboard.services import ranking_publish
    from quizbank.services import question_create
    from tests.contest import factories as cf
    from tests.contest.helpers import versions_of
    from tests.leaderboard.factories import committed
    from tests.schools import factories as sf

    province = sf.province()
    school = sf.school(sf.commune(province), name=payload("XSS-SCHOOL"))
    klass = sf.klass(school, name=CLASS_NAME, grade=9)
    organiser = sf.staff("organiser", region=province, username="btc_xss")
    pupil = sf.student(
        school,
        klass,
        "Nguyễn Văn An",
        username="hs_xss",
        consent_student=True,
        consent_guardian=True,
        publish_name=True,
    )
    contest = contest_services.contest_create(
        user=organiser, name="Hội thi Số", year=2026, region=province, levels=["thcs"],
        individual_prizes=[{"name": "Giải Nhất", "count": 1}],
    )  # fmt: skip
    content = qf.single(stem=payload("XSS-STEM"), correct=1, explanation=payload("XSS-EXPL"))
    content["choices"][0]["text"] = payload("XSS-CHOICE")
    question = question_create(user=None, bank=qf.OFFICIAL, content=content, status="approved")
    w = cf.World(organiser=organiser, contest=contest)
    round_ = cf.round_(w, questions_list=[question], reveal_after_attempt=4, reveal_after_close=4)
    attempt = contest_services.attempt_start(user=pupil.user, round_=round_)
    base = live_server_asgi.url
    watch = Watch()

    staff = _session(browser, base, organiser, viewport={"width": 1280, "height": 800})
    page = watch.page(staff)
    page.goto(f"{base}/quizbank/?bank=official")
    assert_inert(page, "XSS-STEM")
    page.goto(f"{base}/quizbank/{question.pk}/")
    expect(page.get_by_test_id("phone-preview")).to_contain_text("XSS-STEM")
    assert_inert(page, "XSS-STEM", "XSS-CHOICE")

    phone = _session(browser, base, pupil.user, viewport={"width": 360, "height": 740})
    page = watch.page(phone)
    page.goto(f"{base}/contest/attempts/{attempt.pk}/")
    expect(page.locator("body")).to_contain_text("XSS-STEM")
    assert_inert(page, "XSS-STEM", "XSS-CHOICE")
    version = versions_of(attempt)[0]
    now = timezone.now()
    contest_services.answer_save(
        user=pupil.user, attempt_id=attempt.pk, version_id=version.pk, response={"choice": "c1"}, received_at=now
    )
    page.close()  # the attempt page would follow the submit to the result page itself
    contest_services.attempt_submit(user=pupil.user, attempt_id=attempt.pk, now=now)
    page = watch.page(phone)
    page.goto(f"{base}/contest/attempts/{attempt.pk}/result/")
    assert_inert(page, "XSS-STEM", "XSS-CHOICE", "XSS-EXPL")
    staff_page = staff.pages[0]
    for path in (f"/contest/manage/rounds/{round_.pk}/monitor/", f"/contest/manage/rounds/{round_.pk}/standings/"):
        staff_page.goto(base + path)  # the organiser's monitor and standings name the school and class
        assert_inert(staff_page, "XSS-SCHOOL")

    closes = timezone.now() - datetime.timedelta(seconds=10)
    Round.objects.filter(pk=round_.pk).update(closes_at=closes)
    with committed():
        round_finalize(round_id=round_.pk, now=closes + datetime.timedelta(seconds=5))
    pub = ranking_publish(user=organiser, scope=ranking_scope(contest), kind="individual", filters=Filters())
    visitor_ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    visitor = watch.page(visitor_ctx)
    for path in (f"/leaderboard/p/{pub.pk}/", f"/leaderboard/p/{pub.pk}/print/"):
        visitor.goto(base + path)
        assert_inert(visitor, "XSS-SCHOOL", CLASS_NAME)
    code = pub.rows.exclude(code=None).values_list("code", flat=True).first()
    visitor.goto(f"{base}/leaderboard/verify/{code}/")  # the certificate's QR link
    assert_inert(visitor, "XSS-SCHOOL")
    school_pub = ranking_publish(user=organiser, scope=ranking_scope(contest), kind="school", filters=Filters())
    visitor.goto(f"{base}/leaderboard/p/{school_pub.pk}/")
    assert_inert(visitor, "XSS-SCHOOL")
    page.goto(f"{base}/leaderboard/rounds/{round_.pk}/")  # the live board, filled over the socket
    expect(page.get_by_test_id("board")).not_to_contain_text("Đang tải…")
    assert_inert(page)
    assert not watch.dialogs, watch.dialogs
    for context in (staff, phone, visitor_ctx):
        context.close()
