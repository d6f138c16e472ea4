"""The demo seed: idempotent, fast, all marked demo, and the demo accounts linked."""

import io
import time

import pytest
from django.contrib.auth import get_user_model

from core.demo import DEMO_ACCOUNTS, ensure_demo_user
from schools import demo, selectors
from schools.models import Membership, Region, School, SchoolClass, Student

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_links_demo_accounts():
    for account in DEMO_ACCOUNTS:
        ensure_demo_user(account)
    started = time.monotonic()
    demo.seed(io.StringIO())
    elapsed = time.monotonic() - started
    counts = (Region.objects.count(), School.objects.count(), SchoolClass.objects.count(), Student.objects.count())
    assert counts[1] == 8 and counts[2] == 40 and counts[3] >= 800
    assert elapsed < 10, elapsed  # the brief: a fast seed (bulk writes, one password hash)

    demo.seed(io.StringIO())
    assert (
        Region.objects.count(),
        School.objects.count(),
        SchoolClass.objects.count(),
        Student.objects.count(),
    ) == counts
    assert not Region.objects.filter(is_demo=False).exists()
    assert not School.objects.filter(is_demo=False).exists()
    assert not Student.objects.filter(is_demo=False).exists()
    assert {tuple(sorted(s.levels)) for s in School.objects.all()} >= {("thcs",), ("thpt",), ("tieu_hoc",), ("gdtx",)}

    users = get_user_model().objects.in_bulk(["bantochuc", "dieuphoi", "giaovien", "hocsinh"], field_name="username")
    first = School.objects.get(code=demo.SCHOOLS[0][0])
    assert selectors.user_coordinates_school(users["dieuphoi"], first)
    assert set(selectors.schools_in_scope(users["bantochuc"])) == set(School.objects.all())
    hocsinh = selectors.student_of(users["hocsinh"])
    assert hocsinh.school == first and selectors.user_manages_student(users["giaovien"], hocsinh)
    assert set(selectors.classes_in_scope(users["giaovien"]).values_list("name", flat=True)) == {"9A1", "9A2"}
    assert Membership.objects.filter(user=users["giaovien"]).count() == 1
    # A demo pupil can sign in with the printed password.
    pupil = Student.objects.filter(school=first).exclude(initial_password="").select_related("user").first()
    assert pupil.user.check_password(pupil.initial_password)


def test_demo_pupils_have_the_consent_history_their_state_comes_from():
    """The pupil's page and the consent export show who recorded each consent: demo pupils
    come with the record of the school's paper form, matching their current state, except
    the few per class whose form has not come back (so a teacher has some to record)."""
    for account in DEMO_ACCOUNTS:
        ensure_demo_user(account)
    demo.seed(io.StringIO())
    students = Student.objects.all()
    recorded = students.filter(consent_recorded_at__isnull=False)
    assert students.count() >= 800
    assert recorded.count() >= 0.8 * students.count()
    assert students.filter(consent_recorded_at__isnull=True, school_class__name="9A1").count() >= 2
    assert not recorded.filter(consent_records__isnull=True).exists()
    assert not students.filter(consent_recorded_at__isnull=True, consent_records__isnull=False).exists()
    for s in recorded.prefetch_related("consent_records")[:50]:
        latest = s.consent_records.all()[0]
        assert (latest.consent_student, latest.consent_guardian, latest.publish_name) == (
            s.consent_student,
            s.consent_guardian,
            s.publish_name,
        )
        assert s.consent_recorded_at == latest.recorded_at
