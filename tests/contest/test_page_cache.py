"""The pupils' hot pages: their queries pinned with the page cache cold and warm, and the round
list and round page changed right after the services that change them."""

import pytest
from django.urls import reverse

from contest import services
from contest.models import Round
from tests.contest import factories as cf
from tests.support.pagecache import queries

pytestmark = pytest.mark.django_db


def _get(client, url):
    return queries(lambda: client.get(url))


def test_the_round_list_is_shared_by_a_class_and_reads_fewer_queries_warm(client, page_cache):
    w = cf.world(students=2)
    cf.round_(w, name="Tuần một")
    first, second = w.students
    client.force_login(first)
    cold, resp = _get(client, reverse("contest:rounds"))
    assert resp.status_code == 200 and "Tuần một" in resp.text
    warm, resp = _get(client, reverse("contest:rounds"))
    assert "Tuần một" in resp.text
    client.force_login(second)  # same class: the first pupil's visit warmed it
    classmate, resp = _get(client, reverse("contest:rounds"))
    assert "Tuần một" in resp.text
    # Cold: session; user; student with school and commune; candidate rounds; class rounds'
    # classes; the kept rounds; the pupil's attempts; roles (menu). Warm: no round queries.
    assert (cold, warm, classmate) == (8, 5, 5)


def test_a_new_or_edited_round_shows_in_the_list_at_once(client, page_cache, django_capture_on_commit_callbacks):
    w = cf.world()
    r = cf.round_(w, name="Tuần một")
    client.force_login(w.students[0])
    assert "Tuần một" in client.get(reverse("contest:rounds")).text
    # A write that bypasses the services is not seen: the list is served from the cache.
    Round.objects.filter(pk=r.pk).update(name="Đổi tên ngoài dịch vụ")
    assert "Tuần một" in client.get(reverse("contest:rounds")).text
    with django_capture_on_commit_callbacks(execute=True):
        services.round_update(user=w.organiser, round_=r, name="Tuần một (sửa)")
    page = client.get(reverse("contest:rounds")).text
    assert "Tuần một (sửa)" in page
    with django_capture_on_commit_callbacks(execute=True):
        cf.round_(w, name="Tuần hai")
    assert "Tuần hai" in client.get(reverse("contest:rounds")).text
    # A contest moved to other grades leaves these pupils' lists.
    with django_capture_on_commit_callbacks(execute=True):
        services.contest_update(user=w.organiser, contest=w.contest, grades=[12], levels=["thpt"])
    page = client.get(reverse("contest:rounds")).text
    assert "Tuần hai" not in page and "Tuần một (sửa)" not in page


def test_the_round_page_reads_fewer_queries_warm_and_shows_an_edit_at_once(
    client, page_cache, django_capture_on_commit_callbacks
):
    w = cf.world()
    r = cf.round_(w, name="Tuần một")
    client.force_login(w.students[0])
    url = reverse("contest:round", args=[r.pk])
    cold, resp = _get(client, url)
    assert resp.status_code == 200 and "Tuần một" in resp.text
    warm, resp = _get(client, url)
    # Cold: session; user; the round with its contest and region; the student with school and
    # commune; the pupil's attempts; roles. Warm: the round comes from the cache.
    assert (cold, warm) == (6, 5)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_update(user=w.organiser, round_=r, name="Tuần một (sửa)")
    assert "Tuần một (sửa)" in client.get(url).text


def test_the_result_page_queries_are_pinned(client, page_cache):
    w = cf.world()
    r = cf.round_(w)
    pupil = w.students[0]
    attempt = services.attempt_start(user=pupil, round_=r)
    services.attempt_submit(user=pupil, attempt_id=attempt.pk)
    client.force_login(pupil)
    url = reverse("contest:attempt_result", args=[attempt.pk])
    counts = [_get(client, url)[0] for _ in range(2)]
    # Session; user; the attempt with its round; the student (scope); the attempt again
    # (it may have closed meanwhile); the answers; roles; the contest (reveal policy); cold,
    # also the question versions (then kept per process: contest/versions.py).
    assert counts == [9, 8]


def test_a_missing_round_is_not_found_cold_and_warm(client, page_cache):
    w = cf.world()
    client.force_login(w.students[0])
    for _ in range(2):
        assert client.get(reverse("contest:round", args=[987654])).status_code == 404
