"""Participation rates divide by the enrolment of the pupils who may play: a GDTX centre's
grade 10-12 pupils play a THPT contest, so its grade 10-12 enrolment (recorded at level
``gdtx``) counts, and its grade 6-9 enrolment does not."""

import pytest

from contest.scope import student_in_audience
from leaderboard.aggregation import unit_ranking
from leaderboard.scopes import Filters, ranking_scope
from tests.leaderboard import factories as f

pytestmark = pytest.mark.django_db


def test_a_gdtx_centre_counts_the_enrolment_of_its_pupils_who_may_play():
    prov = f.sf.province(code="86", name="Vĩnh Long")
    commune = f.sf.commune(prov)
    centre = f.sf.school(
        commune, name="Trung tâm GDNN-GDTX Thử", levels=["gdtx"], enrolment={8: 50, 9: 50, 10: 20, 11: 20, 12: 20}
    )
    high = f.sf.school(commune, name="Trường THPT Thử", levels=["thpt"], enrolment={10: 40, 11: 40, 12: 20})
    c = f.contest(prov, levels=["thpt"])
    r = f.round_(c)
    k_centre, k_high = f.sf.klass(centre, "10A", 10), f.sf.klass(high, "10A1", 10)
    players = [f.pupil(centre, k_centre, f"Học Viên Số {i}") for i in range(3)] + [f.pupil(high, k_high, "Lê Văn Em")]
    assert all(student_in_audience(p, c) for p in players)
    for i, p in enumerate(players):
        f.attempt(r, p, score=10 + i)
    rows = {
        row.name: row
        for row in unit_ranking(ranking_scope(c), Filters(), unit="school", metric="participation_rate", top_k=1)
    }
    assert (rows[centre.name].participants, rows[centre.name].enrolled) == (3, 60)
    assert rows[centre.name].participation_rate == 0.05
    hs = rows[high.name]
    assert (hs.participants, hs.enrolled, hs.participation_rate) == (1, 100, 0.01)
    # The commune adds both schools' playing pupils: 60 + 100.
    commune_row = unit_ranking(ranking_scope(c), Filters(), unit="commune", metric="participation_rate", top_k=1)[0]
    assert (commune_row.participants, commune_row.enrolled) == (4, 160)
    # A filter by grade keeps to that grade, whatever level the school records it under.
    grade_10 = {row.name: row for row in unit_ranking(ranking_scope(c), Filters(grade=10), unit="school", top_k=1)}
    assert grade_10[centre.name].enrolled == 20 and grade_10[high.name].enrolled == 40
    # A THCS contest counts the centre's grade 8-9 pupils instead (as the audience rule does).
    thcs = f.contest(prov, name="Hội thi THCS", levels=["thcs"])
    r2 = f.round_(thcs)
    k9 = f.sf.klass(centre, "9A", 9)
    f.attempt(r2, f.pupil(centre, k9, "Học Viên Lớp Chín"), score=5)
    row = unit_ranking(ranking_scope(thcs), Filters(), unit="school", metric="participation_rate", top_k=1)[0]
    assert (row.name, row.participants, row.enrolled) == (centre.name, 1, 100)
