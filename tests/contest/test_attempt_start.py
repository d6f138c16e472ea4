"""Starting an attempt fixes the paper (order, choice order) and the deadline, all stored."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from contest import services
from contest.models import Attempt
from core.errors import Conflict, NotFound, ValidationFailed
from quizbank.models import QuestionVersion
from tests.contest import factories as cf
from tests.schools import factories as sf

pytestmark = pytest.mark.django_db


def test_start_stores_order_choices_and_deadline(w):
    r = cf.round_(w, n_questions=6, duration_s=600)
    student = w.students[0]
    now = timezone.now()
    attempt = services.attempt_start(user=student, round_=r, now=now)
    assert attempt.deadline == now + datetime.timedelta(seconds=600)
    assert sorted(attempt.question_order) == sorted(rq.question_version_id for rq in r.round_questions.all())
    versions = {v.pk: v for v in QuestionVersion.objects.filter(pk__in=attempt.question_order)}
    for vid in attempt.question_order:
        v = versions[vid]
        order = attempt.choice_orders.get(str(vid))
        if v.qtype in ("single", "multiple", "ordering"):
            assert sorted(order) == sorted(v.choice_ids())
        if v.qtype == "ordering":
            assert order != v.choice_ids()  # never shown already solved
        if v.qtype in ("short", "numeric", "truefalse"):
            assert order is None
    # Stored: a second start (reload, other device) returns the same attempt, unchanged.
    again = services.attempt_start(user=student, round_=r)
    assert again.pk == attempt.pk
    again.refresh_from_db()
    assert again.question_order == attempt.question_order
    assert again.choice_orders == attempt.choice_orders


def test_deadline_is_capped_by_the_round_close(w):
    now = timezone.now()
    r = cf.round_(w, closes_at=now + datetime.timedelta(minutes=5), duration_s=900)
    attempt = services.attempt_start(user=w.students[0], round_=r, now=now)
    assert attempt.deadline == r.closes_at


def test_shuffles_differ_between_students_but_questions_are_the_same(w):
    w.students.extend(sf.student(w.school, w.klass, username=f"extra{i}").user for i in range(6))
    r = cf.round_(w, n_questions=8)
    orders = [services.attempt_start(user=u, round_=r).question_order for u in w.students]
    assert len({tuple(o) for o in orders}) > 1
    assert len({tuple(sorted(o)) for o in orders}) == 1


def test_no_shuffle_keeps_the_list_order(w):
    qs = cf.questions(4)
    r = cf.round_(w, questions_list=qs, shuffle_questions=False, shuffle_choices=False)
    attempt = services.attempt_start(user=w.students[0], round_=r)
    assert attempt.question_order == [q.current_version_id for q in qs]
    assert all(
        QuestionVersion.objects.get(pk=int(k)).qtype == "ordering" for k in attempt.choice_orders
    )  # only ordering questions are always shuffled


def test_random_draw_never_repeats_and_takes_approved_only(w):
    from quizbank.models import Question, Topic

    topic = Topic.objects.create(slug="thu-an-toan", name_vi="An toàn số", name_en="Online safety")
    other = Topic.objects.create(slug="thu-kinh-te", name_vi="Kinh tế số", name_en="Digital economy")
    safe = cf.questions(6, topics=[topic], difficulty=1)
    cf.questions(3, topics=[other], difficulty=2)
    retired = cf.questions(2, topics=[topic], difficulty=1)
    Question.objects.filter(pk__in=[q.pk for q in retired]).update(status="retired")
    r = cf.round_(
        w,
        selection="random",
        draw_language="vi",
        draw_spec=[
            {"topics": ["thu-an-toan"], "difficulty": 1, "count": 4},
            {"topics": [], "difficulty": None, "count": 3},
        ],
    )
    retired_versions = {q.current_version_id for q in retired}
    for student in w.students:
        attempt = services.attempt_start(user=student, round_=r)
        assert len(attempt.question_order) == len(set(attempt.question_order)) == 7
        assert not set(attempt.question_order) & retired_versions
        first_rows = {q.current_version_id for q in safe}
        assert len(set(attempt.question_order) & first_rows) >= 4


def test_random_draw_with_too_small_a_pool_is_refused_and_creates_nothing(w):
    cf.questions(2)
    r = cf.round_(w, selection="random", draw_spec=[{"topics": [], "difficulty": None, "count": 50}])
    with pytest.raises(Conflict) as exc:
        services.attempt_start(user=w.students[0], round_=r)
    assert exc.value.code == "pool_too_small"
    assert not Attempt.objects.exists()


def test_closed_and_unopened_rounds_refuse(w):
    now = timezone.now()
    later = cf.round_(w, opens_at=now + datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(hours=2))
    with pytest.raises(Conflict) as exc:
        services.attempt_start(user=w.students[0], round_=later)
    assert exc.value.code == "not_open"
    with time_machine.travel(now + datetime.timedelta(days=8)), pytest.raises(Conflict) as exc:
        services.attempt_start(user=w.students[0], round_=later)
    assert exc.value.code == "closed"


def test_students_outside_the_audience_cannot_see_or_start(w):
    r = cf.round_(w)
    other_province = sf.province(code="87", name="Đồng Tháp")
    outsider = sf.student(sf.school(sf.commune(other_province)), username="ngoai").user
    with pytest.raises(NotFound):
        services.attempt_start(user=outsider, round_=r)
    # A primary pupil of the right province, when the contest invites THCS only.
    primary = sf.student(sf.school(w.commune, levels=["tieu_hoc"]), username="tieuhoc", grade=5).user
    with pytest.raises(NotFound):
        services.attempt_start(user=primary, round_=r)
    # The organiser manages the round but is not a contestant.
    with pytest.raises(ValidationFailed):
        services.attempt_start(user=w.organiser, round_=r)
    assert not Attempt.objects.exists()
