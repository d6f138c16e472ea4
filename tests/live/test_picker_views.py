"""The question picker's server side: the list fragment (filters, pages, staff only) and a form
that accepts ticked questions from any search or page, but only approved ones the teacher
may see."""

import pytest
from django.test import Client

from live.models import LiveGame
from quizbank.models import Status
from tests.quizbank import factories as qf

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _form(questions):
    return {
        "name": "Nhiều trang",
        "school": None,
        "mode": "classic",
        "time_limit_s": 20,
        "questions": questions,
        "auto_advance_s": 0,
        "rescues": 1,
    }


def test_fragment_filters_and_pages(world):
    for i in range(55):
        qf.make(content=qf.single(stem=f"Câu nhiều trang {i}?"), status=Status.APPROVED)
    english = qf.make(content=qf.single(stem="An **English** question?", language="en"), status=Status.APPROVED)
    draft = qf.make(content=qf.single(stem="Câu nháp chưa duyệt?"))
    client = _client(world.teacher)

    first = client.get("/quizbank/pick/").content.decode()
    assert first.count('name="questions"') == 50 and "Trang 1/2" in first
    second = client.get("/quizbank/pick/?page=2").content.decode()
    assert second.count('name="questions"') == 3 + 55 + 1 - 50  # World's 3 + 55 + English
    only_en = client.get("/quizbank/pick/?language=en").content.decode()
    assert only_en.count('name="questions"') == 1 and f'value="{english.pk}"' in only_en
    assert "<strong>English</strong>" in only_en and "lang-en warn" in only_en
    assert f'value="{draft.pk}"' not in client.get("/quizbank/pick/?q=nhap").content.decode()
    assert _client(world.pupils[0].user).get("/quizbank/pick/").status_code == 403

    # Ticked on page 2 and in an English search: the form (showing page 1) takes them.
    data = _form([english.pk, world.questions[0].pk])
    data["school"] = world.school.pk
    ok = client.post("/live/new/", data)
    assert ok.status_code == 302, ok.content.decode()[:2000]
    assert len(LiveGame.objects.get().question_order) == 2

    # An unapproved question is not a valid choice.
    data["questions"] = [draft.pk]
    bad = client.post("/live/new/", data)
    assert bad.status_code == 200 and LiveGame.objects.count() == 1
