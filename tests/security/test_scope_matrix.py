"""Every REST operation of the OpenAPI schema, called as every role, on objects inside and
outside the role's scope, checked against one table of scope rules (``ROWS``).

Two mirror-image provinces (``tests/security/world.py``): the roles of side A call every
operation on side B's objects and must be refused (403 or 404, never 2xx, never 5xx); lists
they read must not carry side B's marker; reads of their own side's objects succeed for the
roles the table names and are refused for the others; a guest gets nothing that is not public.
An operation without a row in the table fails ``test_every_operation_has_a_row``: a new
endpoint must say who may call it.
"""

import json
from dataclasses import dataclass, field

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from tests.security.world import MARKER

pytestmark = pytest.mark.django_db

ROLES = ["organiser", "coordinator", "teacher1", "teacher2", "pupil"]


@dataclass(frozen=True)
class Row:
    """``params``: path parameter -> object key of a side (or a literal prefixed with "=").
    ``kind``: "object" (acts on the objects in ``params``), "list" (reads a list or a file that
    must not carry another scope's rows), "create" / "self" (acts on the caller's own scope or
    on the request body; refusals for foreign objects in bodies are tested per app), "public".
    ``readers``: side-A roles whose GET of side A's object succeeds (200); the others are refused.
    """

    kind: str = "object"
    params: dict = field(default_factory=dict)
    readers: frozenset = frozenset()
    body: dict = field(default_factory=dict)  # a valid body, so the refusal is the scope's, not validation's


def obj(*readers, body=None, **params) -> Row:
    return Row("object", params, frozenset(readers), body or {})


LIST, CREATE, SELF, PUBLIC = Row("list"), Row("create"), Row("self"), Row("public")
STAFF_OF_SCHOOL = ("organiser", "coordinator", "teacher1", "teacher2")

ROWS = {
    "POST /api/auth/token/": PUBLIC,
    "GET /api/me/": SELF,
    # contest: the pupil's own attempts and rounds
    "GET /api/contest/attempts/{id}/": obj("pupil", id="attempt"),
    "PUT /api/contest/attempts/{id}/answers/{version_id}/": obj(
        id="open_attempt", version_id="version", body={"response": {"choice": "c0"}}
    ),
    "POST /api/contest/attempts/{id}/prediction/": obj(id="open_attempt", body={"value": 3}),
    "POST /api/contest/attempts/{id}/navigation/": obj(id="open_attempt", body={"position": 1}),
    "POST /api/contest/attempts/{id}/submit/": obj(id="open_attempt"),
    "GET /api/contest/rounds/": LIST,
    "GET /api/contest/rounds/{id}/": obj("pupil", "organiser", id="running_round"),
    "POST /api/contest/rounds/{id}/attempts/": obj(id="running_round"),
    # contest: the organiser's management
    "POST /api/contest/manage/attempts/{id}/disqualify/": obj(id="attempt"),
    "GET /api/contest/manage/attempts/{id}/log/": obj("organiser", id="attempt"),
    "GET /api/contest/manage/contests/": LIST,
    "POST /api/contest/manage/contests/": CREATE,
    "GET /api/contest/manage/contests/{id}/": obj("organiser", id="contest"),
    "PATCH /api/contest/manage/contests/{id}/": obj(id="contest"),
    "POST /api/contest/manage/contests/{id}/rounds/": obj(id="contest"),
    "GET /api/contest/manage/rounds/{id}/": obj("organiser", id="round"),
    "PATCH /api/contest/manage/rounds/{id}/": obj(id="round"),
    "GET /api/contest/manage/rounds/{id}/monitor/": obj("organiser", id="round"),
    "PUT /api/contest/manage/rounds/{id}/questions/": obj(id="running_round"),
    "POST /api/contest/manage/rounds/{id}/rescore/": obj(id="round"),
    "POST /api/contest/manage/rounds/{id}/close/": obj(id="running_round"),
    "GET /api/contest/manage/rounds/{id}/standings/": obj("organiser", id="round"),
    # leaderboard
    "POST /api/leaderboard/attempts/{id}/review/": obj(id="attempt", body={"action": "flag", "reason": "Kiểm tra"}),
    "GET /api/leaderboard/contests/{id}/board/": obj("organiser", "pupil", id="contest"),
    "GET /api/leaderboard/contests/{id}/individual/": obj("organiser", id="contest"),
    "POST /api/leaderboard/contests/{id}/publish/": obj(id="contest"),
    "GET /api/leaderboard/contests/{id}/topics/": obj("organiser", id="contest"),
    "GET /api/leaderboard/contests/{id}/units/": obj("organiser", id="contest", unit="=school"),
    "GET /api/leaderboard/exports/{id}/": obj("organiser", id="export"),
    "GET /api/leaderboard/publications/": PUBLIC,
    "GET /api/leaderboard/publications/{id}/": PUBLIC,
    "POST /api/leaderboard/publications/{id}/exports/": obj(id="publication", body={"kind": "full_xlsx"}),
    "POST /api/leaderboard/rounds/{id}/{action}/": obj(id="round", action="=freeze"),
    "GET /api/leaderboard/rounds/{id}/board/": obj("organiser", "pupil", id="round"),
    # live games: the teacher who made the game drives it
    "POST /api/live/games/": CREATE,
    # Staff of the school (and the province's organisers) may watch a game; only its host drives it.
    "GET /api/live/games/{game_id}/": obj(*STAFF_OF_SCHOOL, game_id="game"),
    "POST /api/live/games/{game_id}/add-time/": obj(game_id="game", body={"seconds": 10}),
    "POST /api/live/games/{game_id}/end/": obj(game_id="game"),
    "POST /api/live/games/{game_id}/next/": obj(game_id="game"),
    "POST /api/live/games/{game_id}/pause/": obj(game_id="game"),
    "POST /api/live/games/{game_id}/resume/": obj(game_id="game"),
    "POST /api/live/games/{game_id}/skip/": obj(game_id="game"),
    "POST /api/live/games/{game_id}/rescue/": obj(game_id="game"),
    "POST /api/live/games/{game_id}/players/{player_id}/kick/": obj(game_id="game", player_id="player"),
    "POST /api/live/games/{game_id}/players/{player_id}/team/": obj(
        game_id="game", player_id="player", body={"team": "Đội 1"}
    ),
    "POST /api/live/pin/": PUBLIC,
    "POST /api/live/roster/": PUBLIC,
    "POST /api/live/rounds/{round_id}/open/": obj(round_id="running_round"),
    # question bank
    "GET /api/quizbank/banks/": LIST,
    "GET /api/quizbank/export/{fmt}/": Row("list", {"fmt": "=gift"}),
    "POST /api/quizbank/imports/": CREATE,
    "GET /api/quizbank/imports/{id}/": obj("teacher1", id="bank_job"),
    "POST /api/quizbank/imports/{id}/cancel/": obj(id="bank_job"),
    "POST /api/quizbank/imports/{id}/confirm/": obj(id="bank_job"),
    "GET /api/quizbank/questions/": LIST,
    "POST /api/quizbank/questions/": CREATE,
    "GET /api/quizbank/questions/{id}/": obj(*STAFF_OF_SCHOOL, id="question"),
    "PATCH /api/quizbank/questions/{id}/": obj(id="question"),
    "DELETE /api/quizbank/questions/{id}/": obj(id="question"),
    "POST /api/quizbank/questions/{id}/copy/": obj(id="question"),
    "POST /api/quizbank/questions/{id}/propose/": obj(id="question"),
    "POST /api/quizbank/questions/{id}/status/": obj(id="question"),
    "POST /api/quizbank/questions/bulk/": CREATE,
    "POST /api/quizbank/questions/preview/": CREATE,
    "GET /api/quizbank/template.xlsx": SELF,
    "GET /api/quizbank/topics/": LIST,
    # schools and people
    "GET /api/schools/classes/": LIST,
    "GET /api/schools/classes/{id}/login-cards.pdf": obj("organiser", "coordinator", "teacher1", id="class1"),
    "GET /api/schools/classes/{id}/students/": obj("organiser", "coordinator", "teacher1", id="class1"),
    "POST /api/schools/classes/{id}/teachers/": obj(id="class1"),
    "POST /api/schools/imports/": CREATE,
    "GET /api/schools/imports/{id}/": obj("coordinator", id="roster_job"),
    "POST /api/schools/imports/{id}/advance/": obj(id="roster_job"),
    "GET /api/schools/regions/": PUBLIC,
    "GET /api/schools/regions/{code}/schools/": PUBLIC,
    "POST /api/schools/register/": PUBLIC,
    "GET /api/schools/registrations/": LIST,
    "POST /api/schools/registrations/{id}/reject/": obj(id="registration"),
    "POST /api/schools/registrations/{id}/verify/": obj(id="registration"),
    "GET /api/schools/schools/": LIST,
    "GET /api/schools/schools/{code}/": obj(*STAFF_OF_SCHOOL, "pupil", code="school"),
    "GET /api/schools/schools/{code}/classes/": PUBLIC,
    "GET /api/schools/schools/{code}/members/": obj("organiser", "coordinator", code="school"),
    "POST /api/schools/schools/{code}/members/": obj(code="school"),
    "GET /api/schools/students/{id}/": obj("organiser", "coordinator", "teacher1", "pupil", id="student"),
    "POST /api/schools/students/{id}/consent/": obj(id="student"),
    "GET /api/schools/students/me/": SELF,
}


def operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        for method in ops
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def url_of(path: str, row: Row, objects: dict) -> str:
    query = []
    for name, source in row.params.items():
        if "{" + name + "}" not in path:
            query.append(f"{name}={source.lstrip('=')}")
            continue
        if source.startswith("="):
            value = source[1:]
        else:
            target = objects[source]
            value = target if isinstance(target, int) else (getattr(target, "code", None) or target.pk)
            if name == "code" and source == "school":
                value = target.code
        path = path.replace("{" + name + "}", str(value))
    return path + ("?" + "&".join(query) if query else "")


def call(client: Client, method: str, url: str, body: dict | None = None):
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


def test_every_operation_has_a_row():
    keys = {f"{m} {p}" for m, p in operations()}
    assert sorted(keys - set(ROWS)) == [], "operations without a scope rule: add a row to ROWS"
    assert sorted(set(ROWS) - keys) == [], "rows for operations that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_foreign_objects_are_refused_and_lists_do_not_leak(sides, role):
    a, b = sides
    client = Client()
    client.force_login(a.users[role])
    wrong = []
    for method, path in operations():
        row = ROWS[f"{method} {path}"]
        if row.kind == "object":
            resp = call(client, method, url_of(path, row, b.objects), row.body)
            if resp.status_code not in (403, 404):
                wrong.append(f"{method} {path} on side B: {resp.status_code}")
        elif row.kind == "list" and method == "GET":
            resp = client.get(url_of(path, row, a.objects))
            body = resp.content.decode(errors="replace")
            if resp.status_code >= 500 or MARKER in body or MARKER.encode("unicode_escape").decode() in body:
                wrong.append(f"{method} {path}: {resp.status_code}, side B shown")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_own_objects_are_read_by_the_roles_the_table_names(sides, role):
    a, _b = sides
    client = Client()
    client.force_login(a.users[role])
    wrong = []
    for method, path in operations():
        row = ROWS[f"{method} {path}"]
        if row.kind != "object" or method != "GET":
            continue
        status = client.get(url_of(path, row, a.objects)).status_code
        expected = {200} if role in row.readers else {403, 404}
        if status not in expected:
            wrong.append(f"{method} {path} as {role}: {status}, expected {sorted(expected)}")
    assert wrong == [], "\n".join(wrong)


def test_a_guest_gets_only_what_is_public(sides):
    a, _b = sides
    client = Client()
    wrong = []
    for method, path in operations():
        row = ROWS[f"{method} {path}"]
        if row.kind == "public":
            continue
        resp = call(client, method, url_of(path, row, a.objects))
        if resp.status_code not in (401, 403):
            wrong.append(f"{method} {path}: {resp.status_code}")
    assert wrong == [], "\n".join(wrong)
