"""Durations as a person reads them: a 30-second round is "30 giây", never "0 phút" (issue #11
item 7), on the pupil's round list, the round page and the organiser's round page."""

import pytest
from django.utils import translation

from core.templatetags.durations import duration_text
from tests.contest import factories as cf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("seconds", "vi", "en"),
    [
        (30, "30 giây", "30 seconds"),
        (1, "1 giây", "1 second"),
        (0, "0 giây", "0 seconds"),
        (60, "1 phút", "1 minute"),
        (90, "1 phút 30 giây", "1 minute 30 seconds"),
        (15 * 60, "15 phút", "15 minutes"),
        (3600 + 120, "1 giờ 2 phút", "1 hour 2 minutes"),
    ],
)
def test_duration_text(seconds, vi, en):
    with translation.override("vi"):
        assert duration_text(seconds) == vi
    with translation.override("en"):
        assert duration_text(seconds) == en


def test_a_30_second_round_shows_seconds(client, w):
    r = cf.round_(w, duration_s=30)
    client.force_login(w.students[0])
    for url in ("/contest/", f"/contest/rounds/{r.pk}/"):
        html = client.get(url).content.decode()
        assert "30 giây" in html and "0 phút" not in html, url
    client.force_login(w.organiser)
    html = client.get(f"/contest/manage/rounds/{r.pk}/").content.decode()
    assert "30 giây" in html and "0 phút" not in html
