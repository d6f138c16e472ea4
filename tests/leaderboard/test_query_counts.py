"""The board payload and the public ranking pages read a fixed number of queries, however many
students are ranked (pinned here: they are what every student and visitor loads)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contest.services import round_finalize
from leaderboard import services
from leaderboard.scopes import Filters, ranking_scope
from leaderboard.selectors import board_payload
from tests.leaderboard import factories as f

pytestmark = pytest.mark.django_db

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Võ Thu Hà", "Đỗ Gia Huy"]


def _contest_with(pupils: int, code: str):
    w = f.world(communes=1, schools_per_commune=2, province_code=code)
    c = f.contest(w["province"])
    r = f.round_(c, name="Tuần 1")
    org = f.sf.staff("organiser", region=w["province"], username=f"btc{code}")
    end = r.opens_at + datetime.timedelta(hours=1)
    students = []
    for i in range(pupils):
        s = f.pupil(w["schools"][i % 2], w["classes"][i % 2], NAMES[i % len(NAMES)], username=f"hs{code}_{i}")
        f.attempt(r, s, score=10 + i, time_s=300 + i, submitted=end)
        students.append(s)
    return c, r, org, students


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_board_payload_does_not_grow_with_the_board():
    counts = []
    for pupils, code in ((4, "86"), (16, "87")):
        _c, r, _org, students = _contest_with(pupils, code)
        board_payload(students[0].user, round_=r)  # warm the per-process round cache
        counts.append(_count(lambda r=r, s=students[0]: board_payload(s.user, round_=r)))
    # The student's own units (one query); rows, ranks and names come from the board's hash.
    # Only the viewer's student row (their class, school and commune, for the unit boards);
    # rows, ranks and names come from the board itself.
    assert counts == [1, 1]


def test_the_public_ranking_pages_do_not_grow_with_the_ranking(client):
    counts = []
    for pupils, code in ((4, "86"), (16, "87")):
        c, r, org, _students = _contest_with(pupils, code)
        with f.committed():
            round_finalize(round_id=r.pk, now=r.closes_at + datetime.timedelta(minutes=1))
        pub = services.ranking_publish(user=org, scope=ranking_scope(c), kind="individual", filters=Filters())
        page = reverse("leaderboard:publication", args=[pub.pk])
        api = reverse("leaderboard-api:publication", args=[pub.pk])
        counts.append((_count(lambda page=page: client.get(page)), _count(lambda api=api: client.get(api))))
    # Page (anonymous): the publication; the row count (paging); one page of rows; their
    # students (consent, for the names shown); the newer version if any. API: the
    # publication; its rows; their students.
    assert counts == [(5, 3), (5, 3)]
