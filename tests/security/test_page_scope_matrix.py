"""Every page (HTML, PDF, file) of the site, as every role, on the other province's objects:
refused (403/404, or the sign-in redirect for a guest), never shown, never a server error.
The pages are read from the URL configuration; a page without a row in ``PAGES`` fails
``test_every_page_has_a_row``."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import MARKER

pytestmark = pytest.mark.django_db

ROLES = ["organiser", "coordinator", "teacher1", "teacher2", "pupil"]
GET, POST = "GET", "POST"

# URL name -> (method, {kwarg: object key or "=literal"}); None: a page with no object of a
# scope (public pages, forms, lists: lists are checked for leaks by the marker).
PAGES = {
    "healthz": None,
    "javascript-catalog-versioned": None,
    "favicon": None,
    "metrics": None,  # operators only: loopback, METRICS_ALLOWED or the token (tests/core/test_metrics_logs.py)
    "api-schema": None,
    "api-docs": None,
    "set_language": None,
    "javascript-catalog": None,
    "login": None,
    "logout": None,
    "password_change": None,
    "password_change_done": None,
    "home": None,
    "schools:home": None,
    "schools:classes": None,
    "schools:class": (GET, {"pk": "class1"}),
    "schools:class_students": (POST, {"pk": "class1"}),
    "schools:student_consent": (GET, {"pk": "student"}),
    "schools:import": None,
    "schools:my_school": None,
    "schools:school": (GET, {"code": "school"}),
    "schools:registration_review": (POST, {"pk": "registration"}),
    "schools:regions": None,
    "schools:me": None,
    "schools:register": None,
    "quizbank:bank": None,
    "quizbank:bulk": None,
    "quizbank:new": None,
    "quizbank:preview": None,
    "quizbank:edit": (GET, {"pk": "question"}),
    "quizbank:status": (POST, {"pk": "question"}),
    "quizbank:delete": (POST, {"pk": "question"}),
    "quizbank:copy": (POST, {"pk": "question"}),
    "quizbank:propose": (POST, {"pk": "question"}),
    "quizbank:import": None,
    "quizbank:import-detail": (GET, {"pk": "bank_job"}),
    "quizbank:import-confirm": (POST, {"pk": "bank_job"}),
    "quizbank:import-cancel": (POST, {"pk": "bank_job"}),
    "contest:rounds": None,
    "contest:round": (GET, {"pk": "running_round"}),
    "contest:round_start": (POST, {"pk": "running_round"}),
    "contest:attempt": (GET, {"pk": "open_attempt"}),
    "contest:attempt_result": (GET, {"pk": "attempt"}),
    "contest:manage": None,
    "contest:contest_create": None,
    "contest:contest": (GET, {"pk": "contest"}),
    "contest:contest_edit": (GET, {"pk": "contest"}),
    "contest:round_create": (GET, {"contest_pk": "contest"}),
    "contest:round_manage": (GET, {"pk": "round"}),
    "contest:round_edit": (GET, {"pk": "round"}),
    "contest:round_questions": (GET, {"pk": "running_round"}),
    "contest:round_monitor": (GET, {"pk": "round"}),
    "contest:round_standings": (GET, {"pk": "round"}),
    "contest:round_rescore": (POST, {"pk": "round"}),
    "contest:round_close": (POST, {"pk": "running_round"}),
    "contest:attempt_disqualify": (POST, {"pk": "attempt"}),
    "contest:class_rounds": None,
    "contest:class_round_create": None,
    "contest:class_round_edit": (GET, {"pk": "class_round"}),
    "contest:class_results": (GET, {"pk": "class_round"}),
    "contest:class_results_export": (GET, {"pk": "class_round", "fmt": "=csv"}),
    "live:home": None,
    "live:new": None,
    "live:open": (POST, {"round_id": "running_round"}),
    "live:join": None,
    "live:play": None,  # open to guests: a game is joined with its PIN
    "live:host": (GET, {"game_id": "game"}),
    "live:screen": (GET, {"game_id": "game"}),
    "live:report": (GET, {"game_id": "game"}),
    "live:report_export": (GET, {"game_id": "game", "fmt": "=xlsx"}),
    "quizbank:pick": None,  # the picker's list: approved questions the user may see
    "leaderboard:index": None,
    "leaderboard:publication": None,  # published rankings are public
    "leaderboard:print": None,
    "leaderboard:export": None,
    "leaderboard:results_pdf": None,
    "leaderboard:verify": None,
    "leaderboard:exports": (GET, {"pk": "publication"}),
    "leaderboard:export_download": (GET, {"pk": "export"}),
    "leaderboard:round_board": (GET, {"pk": "round"}),
    "leaderboard:freeze": (POST, {"pk": "round", "action": "=freeze"}),
    "leaderboard:contest_board": (GET, {"pk": "contest"}),
    "leaderboard:review_list": None,
    "leaderboard:review": (GET, {"pk": "contest"}),
    "leaderboard:publish": (POST, {"pk": "contest"}),
    "leaderboard:attempt_review": (POST, {"pk": "attempt"}),
}
LISTS = [
    "schools:classes",
    "schools:home",
    "quizbank:bank",
    "contest:rounds",
    "contest:manage",
    "contest:class_rounds",
    "live:home",
    "quizbank:pick",
]


def page_names() -> set[str]:
    def walk(patterns, ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
                if str(p.pattern).startswith(("api/", "admin/")):
                    continue
                yield from walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{ns}:{p.name}" if ns else p.name

    return set(walk(get_resolver().url_patterns))


def url_for(name: str, params: dict, objects: dict) -> str:
    kwargs = {}
    for key, source in params.items():
        if source.startswith("="):
            kwargs[key] = source[1:]
        else:
            target = objects[source]
            kwargs[key] = target.code if key == "code" else (target if isinstance(target, int) else target.pk)
    return reverse(name, kwargs=kwargs)


def test_every_page_has_a_row():
    names = page_names()
    assert sorted(names - set(PAGES)) == [], "pages without a scope rule: add a row to PAGES"
    assert sorted(set(PAGES) - names) == [], "rows for pages that no longer exist"


@pytest.mark.parametrize("role", [*ROLES, "guest"])
def test_other_scopes_pages_are_refused(sides, role):
    a, b = sides
    client = Client()
    if role != "guest":
        client.force_login(a.users[role])
    wrong = []
    for name, row in PAGES.items():
        if row is None:
            continue
        method, params = row
        url = url_for(name, params, b.objects)
        resp = client.post(url) if method == POST else client.get(url)
        refused = {403, 404} | ({302} if role == "guest" else set())
        if resp.status_code not in refused:
            wrong.append(f"{method} {name} on side B as {role}: {resp.status_code}")
        elif resp.status_code == 302 and "/accounts/login/" not in resp["Location"]:
            wrong.append(f"{method} {name} as guest redirects to {resp['Location']}")
    for name in LISTS if role != "guest" else []:
        resp = client.get(reverse(name))
        if resp.status_code >= 500 or MARKER in resp.content.decode(errors="replace"):
            wrong.append(f"GET {name} as {role}: {resp.status_code}, side B shown")
    assert wrong == [], "\n".join(wrong)
