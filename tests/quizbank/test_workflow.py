"""The review workflow, duplicate detection and bulk actions."""

import pytest

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from quizbank.services import bulk_action, question_copy, question_create, question_set_status, question_update
from tests.quizbank import factories as f

pytestmark = pytest.mark.django_db


def test_organiser_moves_official_question_through_the_workflow(organiser):
    q = f.make(organiser)
    assert q.status == "draft"
    for status in ("review", "approved", "retired", "draft"):
        q = question_set_status(user=organiser, question=q, status=status)
        assert q.status == status


def test_impossible_transition_is_a_conflict(organiser):
    q = f.make(organiser, status="approved")
    with pytest.raises(Conflict) as err:
        question_set_status(user=organiser, question=q, status="review")
    assert err.value.code == "bad_transition"
    q.refresh_from_db()
    assert q.status == "approved"


def test_teacher_submits_to_review_and_approves_own_bank(teacher_a):
    q = f.make(teacher_a, bank=f.teacher_bank(teacher_a))
    question_set_status(user=teacher_a, question=q, status="review")
    question_set_status(user=teacher_a, question=q, status="approved")
    q.refresh_from_db()
    assert q.status == "approved"


def test_only_coordinator_approves_school_bank(school_a, teacher_a, coordinator_a):
    q = f.make(teacher_a, bank=f.school_bank(school_a))
    question_set_status(user=teacher_a, question=q, status="review")  # the author may submit
    with pytest.raises(Forbidden):
        question_set_status(user=teacher_a, question=q, status="approved")
    question_set_status(user=coordinator_a, question=q, status="approved")
    q.refresh_from_db()
    assert q.status == "approved"


def test_duplicate_detected_on_create_regardless_of_case_accents_and_choice_order(organiser):
    first = f.make(organiser, f.single(stem="Ngày Chuyển đổi số quốc gia là ngày nào?"))
    twin = f.single(stem="ngay chuyen doi so QUOC GIA la ngay nao ?")
    twin["choices"].reverse()
    with pytest.raises(Conflict) as err:
        f.make(organiser, twin)
    assert err.value.code == "duplicate"
    assert f"#{first.pk}" in str(err.value.message)
    # A different stem is not a duplicate; neither is the same question in another bank.
    f.make(organiser, f.single(stem="Ngày nào là Ngày Chuyển đổi số quốc gia?"))
    # allow_duplicate overrides on purpose
    f.make(organiser, twin, allow_duplicate=True)


def test_duplicate_in_another_bank_is_allowed(organiser, teacher_a):
    f.make(organiser, f.single())
    q = f.make(teacher_a, f.single(), bank=f.teacher_bank(teacher_a))
    assert q.pk


def test_retired_question_is_not_a_duplicate(organiser):
    q = f.make(organiser, f.single(), status="approved")
    question_set_status(user=organiser, question=q, status="retired")
    assert f.make(organiser, f.single()).pk != q.pk


def test_edit_into_a_duplicate_is_refused(organiser):
    f.make(organiser, f.single(stem="Câu một"))
    q2 = f.make(organiser, f.single(stem="Câu hai"))
    with pytest.raises(Conflict):
        question_update(user=organiser, question=q2, content={"stem": "câu MỘT"})
    q2.refresh_from_db()
    assert q2.current_version.stem == "Câu hai"


def test_invalid_content_changes_nothing(organiser):
    from quizbank.models import Question

    bad = f.single()
    for c in bad["choices"]:
        c["correct"] = False
    with pytest.raises(ValidationFailed) as err:
        f.make(organiser, bad)
    assert "choices" in err.value.fields
    assert Question.objects.count() == 0
    q = f.make(organiser)
    with pytest.raises(ValidationFailed):
        question_update(user=organiser, question=q, content={"difficulty": 7})
    q.refresh_from_db()
    assert q.current_version.difficulty == 2


def test_bulk_actions_are_all_or_nothing(organiser, teacher_a):
    a = f.make(organiser, f.single(stem="A"))
    b = f.make(organiser, f.single(stem="B"))
    assert bulk_action(user=organiser, ids=[a.pk, b.pk], action="status", value="approved") == 2
    a.refresh_from_db()
    assert a.status == "approved"
    assert bulk_action(user=organiser, ids=[a.pk, b.pk], action="add_topic", value="ky-nang-so") == 2
    assert list(b.topics.values_list("slug", flat=True)) == ["ky-nang-so"]
    bulk_action(user=organiser, ids=[a.pk, b.pk], action="add_tag", value="otp, an toàn")
    b.refresh_from_db()
    assert b.tags == ["otp", "an toàn"]

    mine = f.make(teacher_a, f.single(stem="C"), bank=f.teacher_bank(teacher_a))
    # A teacher cannot retire official questions: one refusal undoes the batch.
    with pytest.raises(Forbidden):
        bulk_action(user=teacher_a, ids=[mine.pk, a.pk], action="status", value="retired")
    mine.refresh_from_db()
    assert mine.status == "draft"
    # Someone else's private question is "not found", as for a single question.
    other = f.make(organiser, f.single(stem="D"))
    with pytest.raises(NotFound):
        bulk_action(user=teacher_a, ids=[mine.pk, other.pk], action="add_tag", value="x")


def test_share_with_school_and_copy(school_a, teacher_a, teacher_a2, teacher_b):
    q = f.make(teacher_a, bank=f.teacher_bank(teacher_a, school_a))
    bulk_action(user=teacher_a, ids=[q.pk], action="share")
    q.refresh_from_db()
    assert q.shared_with_school
    copy = question_copy(user=teacher_a2, question=q, bank=f.teacher_bank(teacher_a2, school_a))
    assert copy.owner_user == teacher_a2 and copy.status == "draft" and copy.author == teacher_a
    assert copy.current_version.stem == q.current_version.stem


def test_tags_are_cleaned():
    from quizbank.services.questions import clean_tags

    assert clean_tags(" otp ,  OTP, an   toàn,") == ["otp", "an toàn"]
    with pytest.raises(ValidationFailed):
        clean_tags([f"t{i}" for i in range(30)])


def test_create_requires_known_topics(organiser):
    with pytest.raises(ValidationFailed) as err:
        question_create(user=organiser, bank=f.OFFICIAL, content=f.single(), topics=["khong-co"])
    assert "topics" in err.value.fields


def test_teacher_proposes_a_question_to_the_official_bank(teacher_a, teacher_b, organiser):
    from quizbank.selectors import approved_questions, visible_questions
    from quizbank.services import question_propose_official

    mine = f.make(teacher_a, f.single(stem="Đề xuất của giáo viên"), bank=f.teacher_bank(teacher_a))
    with pytest.raises(Forbidden):
        question_propose_official(user=teacher_b, question=mine)
    proposal = question_propose_official(user=teacher_a, question=mine)
    assert (proposal.owner_kind, proposal.status, proposal.author) == ("official", "review", teacher_a)
    assert proposal not in visible_questions(teacher_b)  # not yet approved
    with pytest.raises(Conflict):  # the same proposal twice is a duplicate
        question_propose_official(user=teacher_a, question=mine)
    question_set_status(user=organiser, question=proposal, status="approved")
    assert proposal in approved_questions()
    assert proposal in visible_questions(teacher_b)
    with pytest.raises(Conflict):
        question_propose_official(user=organiser, question=proposal)
