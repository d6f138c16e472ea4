"""Editing a used question creates a new version; rounds keep theirs (DESIGN "Question")."""

import pytest

from core.errors import Conflict
from quizbank.grading import grade
from quizbank.models import QuestionVersion
from quizbank.selectors import approved_questions
from quizbank.services import question_delete, question_set_status, question_update, version_for_round
from tests.quizbank import factories as f

pytestmark = pytest.mark.django_db


def test_edit_of_unused_version_changes_it_in_place(organiser):
    q = f.make(organiser)
    v1 = q.current_version
    question_update(user=organiser, question=q, content={"stem": "Ngày 10/10 là ngày gì?"})
    q.refresh_from_db()
    assert q.current_version_id == v1.pk
    assert q.versions.count() == 1
    assert q.current_version.stem == "Ngày 10/10 là ngày gì?"


def test_edit_of_used_version_creates_a_new_one_and_the_round_keeps_the_old(organiser):
    q = f.make(organiser, content=f.single(correct=1))
    used = version_for_round(q)
    assert used.used and used.pk == q.current_version_id

    new_choices = f.single(correct=2)["choices"]
    question_update(user=organiser, question=q, content={"choices": new_choices})
    q.refresh_from_db()
    assert q.versions.count() == 2
    current = q.current_version
    assert current.number == 2 and not current.used
    # The round still grades against what it showed: choice c1 was correct then.
    old = QuestionVersion.objects.get(pk=used.pk)
    assert grade(old, {"choice": "c1"}).correct
    assert not grade(current, {"choice": "c1"}).correct
    assert grade(current, {"choice": "c2"}).correct
    # Choice ids survive the edit, so reports can compare versions.
    assert current.choice_ids() == old.choice_ids()


def test_edit_without_changes_makes_no_version(organiser):
    q = f.make(organiser)
    version_for_round(q)
    question_update(user=organiser, question=q, content={"stem": q.current_version.stem}, tags=["otp"])
    q.refresh_from_db()
    assert q.versions.count() == 1
    assert q.tags == ["otp"]


def test_version_for_round_is_idempotent(organiser):
    q = f.make(organiser)
    assert version_for_round(q).pk == version_for_round(q).pk
    assert q.versions.count() == 1


def test_used_question_cannot_be_deleted_only_retired(organiser):
    q = f.make(organiser, status="approved")
    version_for_round(q)
    with pytest.raises(Conflict):
        question_delete(user=organiser, question=q)
    question_set_status(user=organiser, question=q, status="retired")
    q.refresh_from_db()
    assert q.status == "retired"
    assert q not in approved_questions()


def test_approved_questions_filters(organiser, teacher_a):
    from quizbank.models import Topic

    safety = Topic.objects.get(slug="an-toan-mang")
    otp = Topic.objects.get(slug="lua-dao-otp")
    a = f.make(organiser, f.single(stem="Câu A"), status="approved", topics=[otp])
    b = f.make(organiser, f.single(stem="Câu B", difficulty=3, language="en"), status="approved")
    f.make(organiser, f.single(stem="Câu nháp"), status="draft", topics=[otp])
    mine = f.make(teacher_a, f.single(stem="Câu của giáo viên"), bank=f.teacher_bank(teacher_a), status="approved")

    assert set(approved_questions()) == {a, b}  # official only without a user
    assert set(approved_questions(topics=[safety])) == {a}  # sub-topics included
    assert set(approved_questions(topics=["lua-dao-otp"])) == {a}
    assert set(approved_questions(difficulty=3)) == {b}
    assert set(approved_questions(difficulty=[1, 2], language="vi")) == {a}
    assert set(approved_questions(user=teacher_a)) == {a, b, mine}
    assert list(approved_questions(user=None).order_by("?")[:1])  # random draws work
