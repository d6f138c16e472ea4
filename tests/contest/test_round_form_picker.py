"""The organiser's round form carries the shared question picker: the ticked questions are
saved with the round in the order they were ticked; a question outside the official bank is
refused with a message and no round is left behind; an edit without the picker leaves the
questions alone; the round questions page reorders by position."""

import pytest

from contest.models import Round
from tests.contest import factories as cf
from tests.contest.test_pages import login
from tests.quizbank import factories as qf
from tests.schools import factories as sf

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Tuần 3", "opens_at": "2026-11-30T10:00", "closes_at": "2026-12-07T09:00", "duration_min": "15",
    "attempts_policy": "one", "selection": "fixed", "scoring_format": "contest", "reveal_during": "0",
    "reveal_after_attempt": "1", "reveal_after_close": "4", "shuffle_questions": "on", "draw_language": "vi",
}  # fmt: skip


def _ids(r: Round) -> list[int]:
    return list(r.round_questions.order_by("position").values_list("question_version__question_id", flat=True))


def test_round_form_saves_the_ticked_questions_in_ticking_order(client, w):
    login(client, w.organiser)
    qs = [q.pk for q in cf.questions(3)]
    url = f"/contest/manage/contests/{w.contest.pk}/rounds/new/"
    page = client.get(url).content.decode()
    assert 'id="pick-list"' in page and 'name="official" value="1"' in page
    made = client.post(url, {**FORM, "questions": qs, "pick_order": f"{qs[2]},{qs[0]},{qs[1]}"})
    r = Round.objects.get(name="Tuần 3")
    assert made.status_code == 302 and made["Location"] == f"/contest/manage/rounds/{r.pk}/"
    assert _ids(r) == [qs[2], qs[0], qs[1]]

    # The edit form comes back with them ticked; saving without the picker keeps them.
    edit = client.get(f"/contest/manage/rounds/{r.pk}/edit/").content.decode()
    assert f'value="{qs[2]},{qs[0]},{qs[1]}"' in edit
    # Whole minutes read as a teacher wrote them: "15", not "15.0".
    minutes = r.duration_s // 60
    assert r.duration_s % 60 == 0 and f'name="duration_min" value="{minutes}"' in edit, edit
    client.post(f"/contest/manage/rounds/{r.pk}/edit/", {**FORM, "name": "Tuần 3 (sửa)"})
    r.refresh_from_db()
    assert r.name == "Tuần 3 (sửa)" and _ids(r) == [qs[2], qs[0], qs[1]]

    # The questions page: renumber to move one.
    client.post(
        f"/contest/manage/rounds/{r.pk}/questions/",
        {"questions": [qs[2], qs[0], qs[1]], f"pos_{qs[2]}": "3", f"pos_{qs[0]}": "1", f"pos_{qs[1]}": "2"},
    )
    assert _ids(r) == qs

    # From the bank browser (?ids=): the questions come ticked, to be saved.
    more = cf.questions(1)[0]
    page = client.get(f"/contest/manage/rounds/{r.pk}/questions/", {"ids": [more.pk, "x"]}).content.decode()
    assert f'value="{",".join(str(i) for i in [*qs, more.pk])}"' in page


def test_a_question_outside_the_official_bank_is_refused_and_nothing_is_made(client, w):
    login(client, w.organiser)
    official = cf.questions(1)[0]
    teacher = sf.staff("teacher", school_obj=w.school, username="gv_rieng")
    private = qf.make(user=teacher, bank=qf.teacher_bank(teacher), status="approved")
    url = f"/contest/manage/contests/{w.contest.pk}/rounds/new/"
    resp = client.post(url, {**FORM, "questions": [official.pk, private.pk], "pick_order": ""})
    html = resp.content.decode()
    assert resp.status_code == 200 and "ngoài ngân hàng được phép" in html
    assert not Round.objects.filter(name="Tuần 3").exists()
    assert "Đã tạo vòng thi." not in html
