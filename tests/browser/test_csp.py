"""Every page works under the Content-Security-Policy: Chromium visits each page view as each
role, on the demo data, and reports 0 violations (no inline script, style or handler, and no
resource from elsewhere)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.support.crawl import walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROLES = [None, "hocsinh", "giaovien", "dieuphoi", "bantochuc", "admin"]
# The admin has a form per model; a few of its page kinds stand for the rest.
ADMIN_PAGES = {"admin:login", "admin:index", "admin:app_list", "admin:auth_user_changelist", "admin:auth_user_change"}


PAGES = {
    "home", "login", "password_change", "password_change_done", "api-docs", "admin:index",
    "schools:classes", "schools:class", "schools:import", "schools:school",
    "schools:regions", "schools:me", "schools:register",
    "quizbank:bank", "quizbank:new", "quizbank:edit", "quizbank:import", "quizbank:import-detail",
    "contest:rounds", "contest:round", "contest:attempt", "contest:attempt_result", "contest:manage",
    "contest:contest_create", "contest:contest", "contest:contest_edit", "contest:round_create",
    "contest:round_manage", "contest:round_edit", "contest:round_questions", "contest:round_monitor",
    "contest:round_standings",
    "live:home", "live:new", "live:join", "live:play", "live:host", "live:screen",
    "leaderboard:index", "leaderboard:publication", "leaderboard:print", "leaderboard:exports",
    "leaderboard:verify", "leaderboard:round_board", "leaderboard:contest_board",
    "leaderboard:review_list", "leaderboard:review",
}  # fmt: skip


def _allow(name: str) -> bool:
    return not name.startswith("admin:") or name in ADMIN_PAGES


@pytest.fixture
def demo(live_server_asgi):
    call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())


def _extra_starts() -> dict:
    """Pages no link reaches without a POST first: an attempt in progress, a live game's
    host, screen and play pages, an import preview, a certificate check."""
    from contest.models import Attempt, Round
    from contest.services import attempt_start
    from core.errors import DomainError
    from leaderboard.models import PublishedRow
    from live.models import LiveGame
    from live.services.games import game_open
    from quizbank.scope import bank_for_key
    from quizbank.services import import_preview

    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES[1:])}
    pupil, teacher, organiser = users["hocsinh"], users["giaovien"], users["bantochuc"]
    attempt = None
    for round_ in Round.objects.filter(mode="window").order_by("-closes_at"):
        try:
            attempt = attempt_start(user=pupil, round_=round_)
            break
        except DomainError:
            continue
    done = Attempt.objects.filter(user=pupil).exclude(submitted_at=None).first()
    game = LiveGame.objects.filter(host=teacher).first()
    if game is None:
        live_round = Round.objects.filter(mode="live", live_game=None).first()
        game = game_open(user=teacher, round_=live_round)
    job = import_preview(
        user=organiser,
        data="::a:: Mật khẩu mạnh có bao nhiêu ký tự? {=12 ~4 ~6}\n".encode(),
        filename="demo.gift",
        bank=bank_for_key(organiser, "mine"),
    )
    row = PublishedRow.objects.exclude(code=None).first()
    pupil_pages = [f"/live/{game.pk}/play/", "/accounts/password/done/"]
    pupil_pages += [f"/contest/attempts/{attempt.pk}/"] if attempt else []
    pupil_pages += [f"/contest/attempts/{done.pk}/result/"] if done else []
    return {
        None: [f"/leaderboard/verify/{row.code}/"] if row else [],
        "hocsinh": pupil_pages,
        "giaovien": [f"/live/{game.pk}/host/", f"/live/{game.pk}/screen/"],
        "dieuphoi": ["/schools/my-school/"],
        "bantochuc": [f"/quizbank/import/{job.pk}/"],
        "admin": ["/admin/"],  # no page of ours links the admin (its own password page did)
    }


def _sign_in(page, base, username):
    if username is None:
        return
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])


def test_every_page_as_every_role_has_no_csp_violation(demo, live_server_asgi, browser):
    base = live_server_asgi.url
    report, violations = {}, []
    extra = _extra_starts()
    for username in ROLES:
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        _sign_in(page, base, username)
        result = walk(page, base, [*extra[username], "/", "/api/docs/"], allow=_allow)
        context.close()
        report[username or "anonymous"] = result
        violations += [{"as": username or "anonymous", **v} for v in result.violations]
    visited = set()
    for who, result in report.items():
        visited |= set(result.visited)
        print(who, len(result.visited), sorted(result.visited), result.errors)
        unprotected = [path for path, policy in result.policies.items() if "script-src 'self'" not in policy]
        assert not unprotected, (who, unprotected)
        # Only Swagger UI, which injects <style> elements, may use inline styles; scripts never.
        inline = [path for path, policy in result.policies.items() if "unsafe-inline" in policy]
        assert set(inline) <= {"/api/docs/"}, inline
        assert not any("'unsafe-inline'" in d for p in result.policies.values() for d in p.split(";") if "script" in d)
    assert not violations, sorted({(v["page"], v.get("directive") or v.get("console")) for v in violations})
    # Every page kind was seen, as some role (downloads and POST-only actions are not pages).
    assert visited >= PAGES, sorted(PAGES - visited)
