"""A contest may require pupils to change the printed password at first sign-in: every page
sends them to the change-password page until they have; nothing changes for other pupils."""

import pytest
from django.test import Client

from contest.models import Contest
from tests.schools import factories as sf
from tests.schools.factories import PASSWORD

pytestmark = pytest.mark.django_db


def printed(user):
    """Make ``user``'s password the one printed on their login card."""
    student = user.student
    student.initial_password, student.initial_password_hash = PASSWORD, user.password
    student.save(update_fields=["initial_password", "initial_password_hash"])
    return user


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_printed_password_must_be_changed_when_the_contest_says_so(w):
    Contest.objects.filter(pk=w.contest.pk).update(force_password_change=True)
    pupil = printed(w.students[0])
    client = signed_in(pupil)
    for url in ("/contest/", "/schools/me/", "/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/accounts/password/", url
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assert "Hãy đặt mật khẩu của riêng em trước khi vào thi." in page.content.decode()
    # A wrong old password changes nothing and keeps the pupil here.
    bad = client.post(
        "/accounts/password/",
        {"old_password": "sai", "new_password1": "Ca-phe-sua-da-9", "new_password2": "Ca-phe-sua-da-9"},
    )
    assert bad.status_code == 200 and client.get("/contest/").status_code == 302
    done = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Ca-phe-sua-da-9", "new_password2": "Ca-phe-sua-da-9"},
    )
    assert done.status_code == 302
    assert client.get("/contest/").status_code == 200


def test_nothing_is_forced_without_the_setting_or_once_changed(w):
    pupil = printed(w.students[0])
    assert signed_in(pupil).get("/contest/").status_code == 200  # the contest does not require it
    Contest.objects.filter(pk=w.contest.pk).update(force_password_change=True)
    other = w.students[1]  # their own password already, not the printed one
    assert signed_in(other).get("/contest/").status_code == 200
    # A contest of another province does not reach this pupil.
    far = sf.province(code="87", name="Đồng Tháp")
    Contest.objects.filter(pk=w.contest.pk).update(region=far)
    assert signed_in(pupil).get("/contest/").status_code == 200


def test_organiser_sets_it_on_the_contest_form(w, client):
    client.force_login(w.organiser)
    page = client.get(f"/contest/manage/contests/{w.contest.pk}/edit/").content.decode()
    assert 'name="force_password_change"' in page
