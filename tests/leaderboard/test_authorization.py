"""Who may open which leaderboard page, export and API endpoint.

Roles: anonymous, a student of the contest's audience, a student of another province, the
school's teacher and coordinator, the contest's organiser and an organiser of another
province. Foreign objects answer 404 (their existence is not revealed).
"""

import datetime

import pytest
from django.urls import reverse

from contest.services import round_finalize
from leaderboard import services
from leaderboard.exports.jobs import export_start
from leaderboard.scopes import Filters, ranking_scope
from tests.leaderboard import factories as f

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student", "foreign_student", "teacher", "coordinator", "organiser", "foreign_organiser"]


@pytest.fixture
def setup():
    w = f.world(communes=1, schools_per_commune=1)
    other = f.world(communes=1, schools_per_commune=1, province_code="87")
    school = w["schools"][0]
    c = f.contest(w["province"])
    r1 = f.round_(c, name="Tuần 1")
    users = {
        "student": f.pupil(school, w["classes"][0], "Nguyễn Văn An", username="hs_a").user,
        "foreign_student": f.pupil(other["schools"][0], other["classes"][0], username="hs_b").user,
        "teacher": f.sf.staff("teacher", school_obj=school, username="gv"),
        "coordinator": f.sf.staff("coordinator", school_obj=school, username="dp"),
        "organiser": f.sf.staff("organiser", region=w["province"], username="btc"),
        "foreign_organiser": f.sf.staff("organiser", region=other["province"], username="btc_b"),
    }
    attempt = f.attempt(r1, users["student"].student, score=10, submitted=r1.opens_at + datetime.timedelta(hours=1))
    with f.committed():
        round_finalize(round_id=r1.pk, now=r1.closes_at + datetime.timedelta(minutes=1))
    pub = services.ranking_publish(
        user=users["organiser"], scope=ranking_scope(c), kind="individual", filters=Filters()
    )
    job = export_start(
        user=users["organiser"], publication=pub, kind="full_xlsx", base_url="http://x", background=False
    )
    r2 = f.round_(c, name="Tuần 2", opens=datetime.datetime(2026, 11, 28, tzinfo=datetime.UTC), hours=24 * 30)
    return {"c": c, "r1": r1, "r2": r2, "users": users, "pub": pub, "job": job, "attempt": attempt}


def as_role(client, setup, role):
    if role != "anonymous":
        client.force_login(setup["users"][role])
    return client


def _status(resp):
    return resp.status_code


# (name, method, url builder, expected status per role in ROLES order)
PUBLIC = [200] * 7
ORGANISER_PAGE = [302, 404, 404, 404, 404, 200, 404]
ORGANISER_POST = [302, 404, 404, 404, 404, 302, 404]
AUDIENCE_PAGE = [302, 200, 404, 404, 404, 200, 404]
ORGANISER_API = [403, 404, 404, 404, 404, 200, 404]
AUDIENCE_API = [403, 200, 404, 404, 404, 200, 404]

CASES = [
    ("index", "get", lambda s: reverse("leaderboard:index"), PUBLIC),
    ("publication", "get", lambda s: reverse("leaderboard:publication", args=[s["pub"].pk]), PUBLIC),
    ("print", "get", lambda s: reverse("leaderboard:print", args=[s["pub"].pk]), PUBLIC),
    ("csv", "get", lambda s: reverse("leaderboard:export", args=[s["pub"].pk, "csv"]), PUBLIC),
    ("xlsx", "get", lambda s: reverse("leaderboard:export", args=[s["pub"].pk, "xlsx"]), PUBLIC),
    ("results_pdf", "get", lambda s: reverse("leaderboard:results_pdf", args=[s["pub"].pk]), PUBLIC),
    ("api_publications", "get", lambda s: reverse("leaderboard-api:publications"), PUBLIC),
    ("api_publication", "get", lambda s: reverse("leaderboard-api:publication", args=[s["pub"].pk]), PUBLIC),
    ("exports_page", "get", lambda s: reverse("leaderboard:exports", args=[s["pub"].pk]), ORGANISER_PAGE),
    ("export_download", "get", lambda s: reverse("leaderboard:export_download", args=[s["job"].pk]), [302] + [404] * 6),
    ("review_list", "get", lambda s: reverse("leaderboard:review_list"), [302, 200, 200, 200, 200, 200, 200]),
    ("review", "get", lambda s: reverse("leaderboard:review", args=[s["c"].pk]), ORGANISER_PAGE),
    ("publish", "post", lambda s: reverse("leaderboard:publish", args=[s["c"].pk]), ORGANISER_POST),
    ("attempt_review", "post", lambda s: reverse("leaderboard:attempt_review", args=[s["attempt"].pk]), ORGANISER_POST),
    ("freeze", "post", lambda s: reverse("leaderboard:freeze", args=[s["r2"].pk, "freeze"]), ORGANISER_POST),
    ("round_board", "get", lambda s: reverse("leaderboard:round_board", args=[s["r1"].pk]), AUDIENCE_PAGE),
    ("contest_board", "get", lambda s: reverse("leaderboard:contest_board", args=[s["c"].pk]), AUDIENCE_PAGE),
    ("api_round_board", "get", lambda s: reverse("leaderboard-api:round-board", args=[s["r1"].pk]), AUDIENCE_API),
    ("api_contest_board", "get", lambda s: reverse("leaderboard-api:contest-board", args=[s["c"].pk]), AUDIENCE_API),
    ("api_individual", "get", lambda s: reverse("leaderboard-api:individual", args=[s["c"].pk]), ORGANISER_API),
    (
        "api_units",
        "get",
        lambda s: reverse("leaderboard-api:units", args=[s["c"].pk]) + "?unit=school",
        ORGANISER_API,
    ),
    ("api_topics", "get", lambda s: reverse("leaderboard-api:topics", args=[s["c"].pk]), ORGANISER_API),
    ("api_export", "get", lambda s: reverse("leaderboard-api:export", args=[s["job"].pk]), ORGANISER_API),
]


@pytest.mark.parametrize(("name", "method", "url", "expected"), CASES, ids=[c[0] for c in CASES])
def test_matrix(client, setup, name, method, url, expected):
    got = []
    for role in ROLES:
        client.logout()
        as_role(client, setup, role)
        data = {"reason": "Kiểm tra", "action": "flag"} if name == "attempt_review" else {"kind": "individual"}
        resp = client.post(url(setup), data) if method == "post" else client.get(url(setup))
        got.append(_status(resp))
    assert got == expected


API_WRITES = [
    (
        "publish",
        lambda s: reverse("leaderboard-api:publish", args=[s["c"].pk]),
        {"kind": "school", "rounds": ["R1"], "confirmed": True},
        201,
    ),
    (
        "review",
        lambda s: reverse("leaderboard-api:attempt-review", args=[s["attempt"].pk]),
        {"action": "flag", "reason": "Nghi vấn"},
        201,
    ),
    ("freeze", lambda s: reverse("leaderboard-api:freeze", args=[s["r2"].pk, "freeze"]), {}, 200),
    ("export", lambda s: reverse("leaderboard-api:export-create", args=[s["pub"].pk]), {"kind": "certificates"}, 201),
]


@pytest.mark.parametrize(("name", "url", "body", "ok"), API_WRITES, ids=[c[0] for c in API_WRITES])
def test_api_writes(client, setup, name, url, body, ok):
    got = []
    for role in ROLES:
        client.logout()
        as_role(client, setup, role)
        data = {k: ([setup["r1"].pk] if v == ["R1"] else v) for k, v in body.items()}
        got.append(client.post(url(setup), data, content_type="application/json").status_code)
    assert got == [403, 404, 404, 404, 404, ok, 404]


def test_bad_input_is_refused_with_a_translated_error(client, setup):
    client.force_login(setup["users"]["organiser"])
    url = reverse("leaderboard-api:publish", args=[setup["c"].pk])
    body = {"kind": "school", "rounds": [setup["r2"].pk], "confirmed": True}
    resp = client.post(url, body, content_type="application/json")
    assert resp.status_code == 409 and resp.json()["error"]["code"] == "rounds_not_final"
    resp = client.post(url, {"kind": "nope"}, content_type="application/json")
    assert resp.status_code == 400 and "kind" in resp.json()["error"]["fields"]
    review = reverse("leaderboard-api:attempt-review", args=[setup["attempt"].pk])
    resp = client.post(review, {"action": "disqualify", "reason": " "}, content_type="application/json")
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "reason_required"
    setup["attempt"].refresh_from_db()
    assert not setup["attempt"].disqualified
    units = reverse("leaderboard-api:units", args=[setup["c"].pk]) + "?unit=school&grade=15"
    assert client.get(units).json()["error"]["fields"]["grade"]
