"""Publishing a ranking needs the organiser's confirmation: the page asks in a <dialog>, and the
server refuses a publish without ``confirmed`` (page and API) with a translated message."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect
from rest_framework.test import APIClient

from contest.models import Contest
from leaderboard.models import Publication
from tests.contest.test_browser import session_key
from tests.leaderboard.test_publication import published_world  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def _api(world) -> APIClient:
    api = APIClient()
    api.force_authenticate(world["org"])
    return api


def test_api_refuses_a_publish_without_confirmation_and_publishes_nothing(published_world):  # noqa: F811
    url = f"/api/leaderboard/contests/{published_world['c'].pk}/publish/"
    for body in ({"kind": "individual"}, {"kind": "individual", "confirmed": False}):
        resp = _api(published_world).post(url, body, format="json")
        assert resp.status_code == 400, resp.content
        error = resp.json()["error"]
        assert error["code"] == "confirmation_required" and "confirmed" in error["fields"]
        assert error["message"] == "Hãy xác nhận trước khi công bố: bản công bố không sửa được."
    english = _api(published_world).post(url, {"kind": "individual"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["error"]["message"] == "Confirm before publishing: a publication cannot be changed."
    assert not Publication.objects.exists()
    ok = _api(published_world).post(url, {"kind": "individual", "confirmed": True}, format="json")
    assert ok.status_code == 201 and Publication.objects.count() == 1


def test_page_refuses_a_publish_without_confirmation(published_world):  # noqa: F811
    client = Client()
    client.force_login(published_world["org"])
    url = f"/leaderboard/review/{published_world['c'].pk}/publish/"
    refused = client.post(url, {"kind": "individual"}, follow=True)
    assert "Hãy xác nhận trước khi công bố" in refused.content.decode()
    assert not Publication.objects.exists()
    client.post(url, {"kind": "individual", "confirmed": "1"})
    assert Publication.objects.count() == 1


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_demo_organiser_confirms_in_a_dialog_before_publishing(live_server_asgi, page):
    call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())
    contest = Contest.objects.get(is_demo=True)
    organiser = get_user_model().objects.get(username="bantochuc")
    before = Publication.objects.filter(contest=contest).count()
    page.context.add_cookies([{"name": "sessionid", "value": session_key(organiser), "url": live_server_asgi.url}])
    page.goto(f"{live_server_asgi.url}/leaderboard/review/{contest.pk}/")
    page.get_by_label("Tuần 1").check()
    page.get_by_role("button", name="Xem").click()
    dialog = page.get_by_role("dialog", name="Công bố bảng xếp hạng?")

    # Enter in the note field asks first, as the button does; Escape and "Hủy" publish nothing.
    page.get_by_label("Ghi chú (ví dụ lý do đính chính)").fill("Công bố lần đầu")
    page.get_by_label("Ghi chú (ví dụ lý do đính chính)").press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Hủy")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Công bố bảng xếp hạng này").click()
    dialog.get_by_role("button", name="Hủy").click()
    expect(dialog).to_be_hidden()
    assert Publication.objects.filter(contest=contest).count() == before

    page.get_by_role("button", name="Công bố bảng xếp hạng này").click()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Xác nhận công bố")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("pub-meta")).to_be_visible()
    assert Publication.objects.filter(contest=contest).count() == before + 1
    assert Publication.objects.filter(contest=contest).latest("pk").note == "Công bố lần đầu"
