"""Public rankings through the page cache: queries pinned cold and warm, and a republication or
a withdrawn consent seen on the very next visit."""

import datetime

import pytest
from django.urls import reverse

from contest.services import round_finalize
from leaderboard import services
from leaderboard.scopes import Filters, ranking_scope
from schools.models import Student
from schools.services import student_set_consent
from tests.leaderboard import factories as f
from tests.leaderboard.test_query_counts import _contest_with
from tests.support.pagecache import queries

pytestmark = pytest.mark.django_db


def _published(code: str, pupils: int = 4):
    c, r, org, students = _contest_with(pupils, code)
    # The first pupil, "Nguyễn Văn An", lets the public see the full name.
    student_set_consent(student=students[0], consent_student=True, consent_guardian=True, publish_name=True)
    with f.committed():
        round_finalize(round_id=r.pk, now=r.closes_at + datetime.timedelta(minutes=1))
    with f.committed():
        pub = services.ranking_publish(user=org, scope=ranking_scope(c), kind="individual", filters=Filters())
    return c, org, students, pub


def test_a_public_ranking_page_is_read_once_then_served_from_the_cache(client, page_cache):
    _c, _org, students, pub = _published("86")
    url = reverse("leaderboard:publication", args=[pub.pk])
    cold, resp = queries(lambda: client.get(url))
    assert resp.status_code == 200
    warm, again = queries(lambda: client.get(url))
    assert again.status_code == 200 and again.text.count("<tr>") == resp.text.count("<tr>") == 5
    assert "Nguyễn Văn An" in again.text
    client.force_login(students[0].user)
    signed_in, resp = queries(lambda: client.get(url))
    assert resp.status_code == 200
    # Cold (anonymous): the publication; the row count; one page of rows; their students
    # (consent); the versions. Warm: none. A signed-in pupil: session, user, roles.
    assert (cold, warm, signed_in) == (5, 0, 3)
    index_cold, _ = queries(lambda: client.get(reverse("leaderboard:index")))
    index_warm, _ = queries(lambda: client.get(reverse("leaderboard:index")))
    assert (index_cold, index_warm) == (4, 3)  # the publications, then session, user, roles


def test_a_republication_and_a_withdrawn_consent_show_at_once(client, page_cache):
    c, org, students, pub = _published("87")
    url = reverse("leaderboard:publication", args=[pub.pk])
    html = client.get(url).text
    assert 'data-testid="superseded"' not in html and "Nguyễn Văn An" in html
    # A change that bypasses the services is not seen: the page comes from the cache.
    Student.objects.filter(pk=students[0].pk).update(publish_name=False)
    assert "Nguyễn Văn An" in client.get(url).text
    Student.objects.filter(pk=students[0].pk).update(publish_name=True)
    with f.committed():
        newer = services.ranking_publish(user=org, scope=ranking_scope(c), kind="individual", filters=Filters())
    html = client.get(url).text
    assert 'data-testid="superseded"' in html and reverse("leaderboard:publication", args=[newer.pk]) in html
    assert reverse("leaderboard:publication", args=[newer.pk]) in client.get(reverse("leaderboard:index")).text
    new_url = reverse("leaderboard:publication", args=[newer.pk])
    assert "Nguyễn Văn An" in client.get(new_url).text
    with f.committed():
        student_set_consent(student=students[0], consent_student=False, consent_guardian=False, publish_name=False)
    html = client.get(new_url).text
    assert "Nguyễn Văn An" not in html and "N. V. A." in html


def test_searches_and_odd_page_numbers_are_answered_without_the_cache(client, page_cache):
    _c, _org, _students, pub = _published("88")
    url = reverse("leaderboard:publication", args=[pub.pk])
    for params in ({"q": "An"}, {"page": "x"}, {"page": "123456789"}):
        counts = [queries(lambda p=params: client.get(url, p))[0] for _ in range(2)]
        assert counts[0] == counts[1] > 0, params


def test_each_page_of_a_ranking_is_cached_on_its_own(client, page_cache, monkeypatch):
    from leaderboard import views

    monkeypatch.setattr(views, "PAGE_ROWS", 2)
    _c, _org, _students, pub = _published("89")
    url = reverse("leaderboard:publication", args=[pub.pk])
    for _ in range(2):  # cold, then from the cache
        first, second = client.get(url).text, client.get(url, {"page": "2"}).text
        assert "Trang 1/2" in first and "?page=2&q=" in first and "?page=1" not in first
        assert "Trang 2/2" in second and "?page=1&q=" in second and "?page=3" not in second
        assert "Nguyễn Văn An" in second and "Nguyễn Văn An" not in first  # the lowest score
