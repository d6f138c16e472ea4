"""/favicon.ico is served, and an expected 403 is one line in the server log, not a traceback
(issue #11 item 8)."""

import logging

import pytest

from tests.schools import factories as sf

pytestmark = pytest.mark.django_db


def test_favicon_is_served(client):
    resp = client.get("/favicon.ico", follow=True)
    assert resp.status_code == 200
    body = b"".join(resp.streaming_content) if resp.streaming else resp.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert 'rel="icon"' in client.get("/").content.decode()


def test_an_expected_403_is_logged_on_one_line(client, caplog):
    client.force_login(sf.user("hocsinh_x"))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/contest/manage/").status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.exc_info is None for r in records)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    assert [handler.format(r).count("\n") for r in records] == [0] * len(records)
    assert "Forbidden" in records[0].getMessage() and "/contest/manage/" in records[0].getMessage()
