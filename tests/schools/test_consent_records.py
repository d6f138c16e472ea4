"""Consent records and verification from the class page: per pupil and in bulk, by the staff of
the class only; bad selections change nothing."""

import pytest
from django.test import Client

from core.errors import NotFound, ValidationFailed
from schools.consent import class_consent_record, class_verify, student_consent_record
from schools.models import ConsentRecord, ConsentSource, Student, StudentStatus
from schools.selectors import public_name
from tests.schools.test_api_authorization import client_for

pytestmark = pytest.mark.django_db


def fresh(student):
    return Student.objects.get(pk=student.pk)


def test_teacher_records_consent_for_the_chosen_pupils(world):
    an, chau = world.student_a, world.pending_a
    assert not an.consent_guardian
    n = class_consent_record(
        actor=world.teacher_a, school_class=world.class9_a, student_ids=[an.pk, chau.pk], action="consent_both"
    )
    assert n == 2
    for student in (an, chau):
        student = fresh(student)
        assert student.consent_student and student.consent_guardian
        assert student.consent_recorded_by == world.teacher_a and student.consent_recorded_at is not None
        record = student.consent_records.get()
        assert (record.source, record.recorded_by, record.consent_guardian) == (
            ConsentSource.STAFF,
            world.teacher_a,
            True,
        )
    # Guardian only: the pupil's own consent stays as it was.
    class_consent_record(
        actor=world.teacher_a, school_class=world.class9_a, student_ids=[an.pk], action="consent_withdraw"
    )
    class_consent_record(
        actor=world.teacher_a, school_class=world.class9_a, student_ids=[an.pk], action="consent_guardian"
    )
    an = fresh(an)
    assert (an.consent_student, an.consent_guardian) == (False, True)
    assert an.consent_records.count() == 3


def test_a_foreign_pupil_in_the_selection_changes_nothing(world):
    before = ConsentRecord.objects.count()
    with pytest.raises(ValidationFailed):
        class_consent_record(
            actor=world.teacher_a,
            school_class=world.class9_a,
            student_ids=[world.student_a.pk, world.student8_a.pk],  # 8A1 is not this class
            action="consent_both",
        )
    for bad in ([], ["x"], [world.student_a.pk, world.student_b.pk]):
        with pytest.raises(ValidationFailed):
            class_consent_record(
                actor=world.teacher_a, school_class=world.class9_a, student_ids=bad, action="consent_both"
            )
    with pytest.raises(ValidationFailed):
        class_consent_record(
            actor=world.teacher_a, school_class=world.class9_a, student_ids=[world.student_a.pk], action="drop"
        )
    assert ConsentRecord.objects.count() == before
    assert not fresh(world.student_a).consent_guardian


def test_only_the_staff_of_the_class_act(world):
    for actor, school_class in ((world.teacher_a, world.class8_a), (world.teacher_b, world.class9_a)):
        pupil = school_class.students.first()
        with pytest.raises(NotFound):
            class_consent_record(actor=actor, school_class=school_class, student_ids=[pupil.pk], action="consent_both")
        with pytest.raises(NotFound):
            class_verify(actor=actor, school_class=school_class, student_ids=[pupil.pk])
    with pytest.raises(NotFound):
        student_consent_record(
            actor=world.student_a.user,
            student=world.student_a,
            consent_student=True,
            consent_guardian=True,
            publish_name=True,
        )
    # The coordinator acts on every class of the school.
    assert class_consent_record(
        actor=world.coordinator_a,
        school_class=world.class8_a,
        student_ids=[world.student8_a.pk],
        action="consent_student",
    )


def test_teacher_verifies_pending_pupils_of_their_class(world):
    assert class_verify(actor=world.teacher_a, school_class=world.class9_a, student_ids=[world.pending_a.pk]) == 1
    pending = fresh(world.pending_a)
    assert pending.status == StudentStatus.VERIFIED and pending.reviewed_by == world.teacher_a
    # Verified pupils in a selection are left as they are.
    ids = [world.student_a.pk, world.pending_a.pk]
    assert class_verify(actor=world.teacher_a, school_class=world.class9_a, student_ids=ids) == 0


def test_per_pupil_consent_and_public_name(world):
    an = world.student_a
    assert public_name(an) == "N. V. A."
    student_consent_record(
        actor=world.teacher_a, student=an, consent_student=True, consent_guardian=True, publish_name=True
    )
    assert public_name(fresh(an)) == "Nguyễn Văn An"
    # Publishing the name needs the pupil's own consent.
    student_consent_record(
        actor=world.teacher_a, student=an, consent_student=False, consent_guardian=True, publish_name=True
    )
    assert fresh(an).publish_name is False


def test_class_page_actions(world):
    client = client_for(world, "teacher")
    url = f"/schools/classes/{world.class9_a.pk}/"
    page = client.get(url).content.decode()
    assert f'name="verify_one" value="{world.pending_a.pk}"' in page
    assert "chưa ghi nhận" in page
    response = client.post(url + "students/", {"verify_one": world.pending_a.pk})
    assert response.status_code == 302 and fresh(world.pending_a).status == StudentStatus.VERIFIED
    response = client.post(
        url + "students/", {"action": "consent_both", "student": [world.student_a.pk, world.pending_a.pk]}, follow=True
    )
    page = response.content.decode()
    assert "Đã ghi nhận đồng ý cho 2 học sinh." in page
    assert page.count("PH: đồng ý") == 2 and world.teacher_a.username in page
    # A pupil of another class in the selection: an error, and nothing recorded.
    response = client.post(
        url + "students/",
        {"action": "consent_withdraw", "student": [world.student_a.pk, world.student8_a.pk]},
        follow=True,
    )
    assert "Có học sinh đã chọn không thuộc lớp này." in response.content.decode()
    assert fresh(world.student_a).consent_guardian
    # Per pupil, with the history.
    consent_url = f"/schools/students/{world.student_a.pk}/consent/"
    assert client.post(consent_url, {"consent_student": "on"}).status_code == 302
    page = client.get(consent_url).content.decode()
    assert page.count("<tr>") == 3  # header + two records
    other = Client()
    other.force_login(world.teacher_b)
    assert other.get(consent_url).status_code == 404
    assert other.post(consent_url, {"consent_student": "on"}).status_code == 404
    assert fresh(world.student_a).consent_records.count() == 2
