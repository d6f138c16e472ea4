"""Pupils sign in with their login card's secret, hashed fast; chosen passwords stay on the
slow hasher; existing cards move over in a migration (issue 14, sign-in)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client

from core import limits
from core.hashers import is_card_hash
from schools.imports.jobs import import_preview, import_run
from schools.models import Student
from tests.schools import factories as f
from tests.schools.files import xlsx

pytestmark = pytest.mark.django_db
REAL_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "core.hashers.CardSecretHasher",
]


@pytest.fixture(autouse=True)
def _clear_limits():
    limits.forget(limits.SIGNIN_ADDRESS, "127.0.0.1")
    yield
    limits.forget(limits.SIGNIN_ADDRESS, "127.0.0.1")


def _roster(n=2):
    school = f.school(f.commune(f.province()), levels=["thcs"])
    teacher = f.staff("teacher", school_obj=school)
    rows = [["Họ và tên", "Ngày sinh", "Lớp"]] + [[f"Lê Văn {c}", "01/01/2012", "7A1"] for c in "ABCDEFGH"[:n]]
    job = import_preview(
        actor=teacher, kind="roster", file_name="l.xlsx", data=xlsx(rows), school=school, school_year="2026-2027"
    )
    import_run(actor=teacher, job=job)
    return list(Student.objects.filter(school=school).select_related("user"))


def test_imported_pupils_get_card_hashes_that_stay_after_sign_in(settings):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    pupil = _roster(1)[0]
    assert is_card_hash(pupil.user.password)
    assert pupil.user.password == pupil.initial_password_hash
    before = pupil.user.password
    client = Client()
    resp = client.post("/accounts/login/", {"username": pupil.user.username, "password": pupil.initial_password})
    assert resp.status_code == 302
    pupil.user.refresh_from_db()
    # Not "upgraded" to the slow staff hasher at sign-in, and the card still says "unchanged".
    assert pupil.user.password == before
    limits.forget(limits.SIGNIN_ACCOUNT, pupil.user.username)


def test_staff_and_chosen_passwords_keep_the_slow_hasher(settings):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    pupil = _roster(1)[0]
    pupil.user.set_password("mat-khau-rieng-cua-em")
    pupil.user.save()
    assert pupil.user.password.startswith("pbkdf2_sha256$1")  # Django's iteration count, 1,000,000+
    client = Client()
    resp = client.post("/accounts/login/", {"username": pupil.user.username, "password": "mat-khau-rieng-cua-em"})
    assert resp.status_code == 302
    assert not is_card_hash(type(pupil.user).objects.get(pk=pupil.user.pk).password)
    limits.forget(limits.SIGNIN_ACCOUNT, pupil.user.username)


def test_wrong_card_secret_is_refused():
    pupil = _roster(1)[0]
    resp = Client().post("/accounts/login/", {"username": pupil.user.username, "password": "sai-mat-khau"})
    assert resp.status_code == 200
    limits.forget(limits.SIGNIN_ACCOUNT, pupil.user.username)


def test_migration_moves_unchanged_cards_only(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "core.hashers.CardSecretHasher"]
    unchanged, chosen = _roster(2)
    for s in (unchanged, chosen):  # as the old code stored them: the default hasher
        s.initial_password_hash = make_password(s.initial_password)
        s.user.password = s.initial_password_hash
        s.user.save()
        s.save()
    chosen.user.set_password("em-tu-dat-mat-khau")
    chosen.user.save()
    migration = importlib.import_module("schools.migrations.0003_card_secret_hashes")
    migration.to_card_hashes(apps, None)
    unchanged.refresh_from_db()
    unchanged.user.refresh_from_db()
    chosen.user.refresh_from_db()
    assert is_card_hash(unchanged.user.password)
    assert unchanged.user.password == unchanged.initial_password_hash
    assert check_password(unchanged.initial_password, unchanged.user.password)
    assert not is_card_hash(chosen.user.password)
    assert check_password("em-tu-dat-mat-khau", chosen.user.password)
