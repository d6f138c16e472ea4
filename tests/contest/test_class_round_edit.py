"""A teacher edits a class round after creating it: before any attempt, settings, classes and
questions all change; once a pupil has started, the paper and its clock are refused with a
translated message and nothing changes, while the name, the deadline and added classes save."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contest.models import Round
from contest.services.class_rounds import class_round_create, class_round_update
from core.errors import Conflict, NotFound
from tests.contest import factories as cf
from tests.contest.helpers import take
from tests.schools import factories as sf

pytestmark = pytest.mark.django_db


@pytest.fixture
def homework(w):
    w.teacher = sf.staff("teacher", school_obj=w.school, username="gv_sua_bai")
    w.klass.teachers.add(w.teacher)
    w.other_class = sf.klass(w.school, "9A2", 9)
    w.other_class.teachers.add(w.teacher)
    w.questions = cf.questions(4)
    return w


def _values(**overrides) -> dict:
    now = timezone.now().replace(second=0, microsecond=0)
    values = {
        "name": "Bài tập tuần 5",
        "opens_at": now - datetime.timedelta(minutes=5),
        "closes_at": now + datetime.timedelta(days=2),
        "duration_s": 600,
        "attempts_policy": "one",
        "max_attempts": None,
        "shuffle_questions": False,
        "shuffle_choices": True,
        "scoring_format": "contest",
        "scoring_config": {},
        "reveal_after_attempt": 2,
        "reveal_after_close": 4,
    }
    return {**values, **overrides}


def _question_ids(r: Round) -> list[int]:
    return list(r.round_questions.order_by("position").values_list("question_version__question_id", flat=True))


def test_everything_changes_before_the_first_attempt(homework):
    w = homework
    qs = [q.pk for q in w.questions]
    r = class_round_create(user=w.teacher, class_ids=[w.klass.pk], question_ids=qs[:2], **_values())
    class_round_update(
        user=w.teacher,
        round_=r,
        class_ids=[w.other_class.pk],
        question_ids=[qs[3], qs[0]],
        **_values(name="Bài tập tuần 5 (sửa)", duration_s=900, shuffle_questions=True),
    )
    r.refresh_from_db()
    assert (r.name, r.duration_s, r.shuffle_questions) == ("Bài tập tuần 5 (sửa)", 900, True)
    assert list(r.classes.all()) == [w.other_class]
    assert _question_ids(r) == [qs[3], qs[0]]


def test_once_started_the_paper_is_refused_and_nothing_changes(homework):
    w = homework
    qs = [q.pk for q in w.questions]
    r = class_round_create(user=w.teacher, class_ids=[w.klass.pk], question_ids=qs[:2], **_values())
    take(w.students[0], r, correct=1)
    before = (r.name, r.duration_s, r.closes_at)

    for change in (
        {"question_ids": qs[:3]},
        {"duration_s": 1200},
        {"shuffle_questions": True},
        {"opens_at": r.opens_at - datetime.timedelta(hours=1)},
        {"class_ids": [w.other_class.pk]},  # removes 9A1, whose pupil has started
    ):
        args = {"class_ids": [w.klass.pk], "question_ids": qs[:2], **_values(name="Không được lưu")}
        args.update(change)
        with pytest.raises(Conflict) as err:
            class_round_update(user=w.teacher, round_=r, **args)
        assert err.value.code == "round_started", change
        r.refresh_from_db()
        assert (r.name, r.duration_s, r.closes_at) == before, change
        assert _question_ids(r) == qs[:2] and list(r.classes.all()) == [w.klass]

    # What does not change the paper still saves: name, deadline, reveal, an added class.
    later = r.closes_at + datetime.timedelta(days=1)
    class_round_update(
        user=w.teacher,
        round_=r,
        class_ids=[w.klass.pk, w.other_class.pk],
        question_ids=qs[:2],
        **_values(name="Đã gia hạn", closes_at=later, reveal_after_close=3),
    )
    r.refresh_from_db()
    assert (r.name, r.closes_at, r.reveal_after_close) == ("Đã gia hạn", later, 3)
    assert set(r.classes.all()) == {w.klass, w.other_class}


def test_a_contest_round_is_not_a_class_round(homework):
    w = homework
    r = cf.round_(w, n_questions=1)
    with pytest.raises(NotFound):
        class_round_update(user=w.teacher, round_=r, class_ids=[w.klass.pk], **_values())


def _form(r: Round, **overrides) -> dict:
    local = timezone.localtime
    data = {
        "name": r.name,
        "classes": [c.pk for c in r.classes.all()],
        "opens_at": local(r.opens_at).strftime("%d/%m/%Y %H:%M"),
        "closes_at": local(r.closes_at).strftime("%d/%m/%Y %H:%M"),
        "duration_min": f"{r.duration_s / 60:.2f}",
        "attempts_policy": r.attempts_policy,
        "shuffle_choices": "on",
        "reveal_after_attempt": str(r.reveal_after_attempt),
        "reveal_after_close": str(r.reveal_after_close),
        "questions": _question_ids(r),
    }
    return {**data, **overrides}


def test_edit_page_saves_and_refuses_with_a_translated_message(client, homework):
    w = homework
    qs = [q.pk for q in w.questions]
    # Times with seconds, as the services allow: the form shows minutes and must not read
    # an unchanged time as a change once pupils have started.
    values = _values(opens_at=timezone.now() - datetime.timedelta(minutes=5, seconds=17), duration_s=605)
    r = class_round_create(user=w.teacher, class_ids=[w.klass.pk], question_ids=qs[:2], **values)
    client.force_login(w.teacher)
    url = reverse("contest:class_round_edit", args=[r.pk])
    page = client.get(url).content.decode()
    assert 'value="Bài tập tuần 5"' in page and f'name="pick_order" id="pick-order" value="{qs[0]},{qs[1]}"' in page
    assert (
        reverse("contest:class_round_edit", args=[r.pk])
        in client.get(reverse("contest:round_manage", args=[r.pk])).content.decode()
    )

    resp = client.post(url, _form(r, name="Bài tuần 5 mới", questions=[qs[2], qs[1]], pick_order=f"{qs[2]},{qs[1]}"))
    assert resp.status_code == 302 and resp.url == reverse("contest:round_manage", args=[r.pk])
    r.refresh_from_db()
    assert r.name == "Bài tuần 5 mới" and _question_ids(r) == [qs[2], qs[1]]
    assert r.duration_s == 605  # shown as 10,08 minutes, sent back unchanged

    take(w.students[0], r, correct=1)
    refused = client.post(url, _form(r, duration_min="20"))
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Vòng thi đã có người làm bài: không thể đổi đề, thời gian làm bài hay giờ mở." in html
    assert "Không thể thay đổi sau khi đã có lượt thi." in html
    refused = client.post(url, _form(r, questions=qs))
    assert "Vòng thi đã có người làm bài: không thể đổi đề." in refused.content.decode()
    r.refresh_from_db()
    assert r.duration_s == 605 and _question_ids(r) == [qs[2], qs[1]]
    assert "Đã có học sinh làm bài" in client.get(url).content.decode()

    ok = client.post(url, _form(r, name="Gia hạn"))
    assert ok.status_code == 302
    r.refresh_from_db()
    assert r.name == "Gia hạn" and r.opens_at == values["opens_at"]

    # Bad input: a class the teacher does not teach is refused and changes nothing.
    stranger_class = sf.klass(w.school, "9A3", 9)
    bad = client.post(url, _form(r, name="Lớp lạ", classes=[stranger_class.pk]))
    assert bad.status_code == 200
    r.refresh_from_db()
    assert r.name == "Gia hạn"


def test_edit_page_is_out_of_scope_for_other_staff(client, homework):
    w = homework
    r = class_round_create(user=w.teacher, class_ids=[w.klass.pk], question_ids=[w.questions[0].pk], **_values())
    colleague = sf.staff("teacher", school_obj=w.school, username="gv_khac_sua")
    for user in (colleague, w.students[0]):
        client.force_login(user)
        assert client.get(reverse("contest:class_round_edit", args=[r.pk])).status_code in (403, 404)
        resp = client.post(reverse("contest:class_round_edit", args=[r.pk]), _form(r, name="Chiếm"))
        assert resp.status_code in (403, 404)
    r.refresh_from_db()
    assert r.name == "Bài tập tuần 5"
