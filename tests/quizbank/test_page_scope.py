"""Out-of-scope questions answer 404 on every bank page and action, never 500, and change
nothing; official drafts are deleted only by their author's scope."""

import pytest

from quizbank.models import Question
from tests.quizbank import factories as f
from tests.schools import factories as sf

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_question(teacher_b):
    return f.make(user=teacher_b, bank=f.teacher_bank(teacher_b))


@pytest.mark.parametrize(
    ("method", "suffix", "data"),
    [
        ("get", "", {}),
        ("post", "", {"stem": "x"}),
        ("post", "status/", {"status": "review"}),
        ("post", "delete/", {}),
        ("post", "copy/", {}),
        ("post", "propose/", {}),
    ],
)
def test_another_schools_question_answers_404(client, teacher_a, foreign_question, method, suffix, data):
    client.raise_request_exception = False
    client.force_login(teacher_a)
    before = foreign_question.current_version.stem
    resp = getattr(client, method)(f"/quizbank/{foreign_question.pk}/{suffix}", data)
    assert resp.status_code == 404
    assert Question.objects.filter(pk=foreign_question.pk).exists()
    assert Question.objects.count() == 1  # no copy, no proposal
    foreign_question.refresh_from_db()
    assert foreign_question.status == "draft" and foreign_question.current_version.stem == before


@pytest.fixture
def other_province_author(db):
    other = sf.province(code="87", name="Đồng Tháp")
    return sf.staff("organiser", region=other, username="btc_dt")


def _official_draft(author):
    return f.make(user=author, bank=f.OFFICIAL)


def test_a_commune_organiser_cannot_delete_another_provinces_official_draft(client, province, other_province_author):
    commune_organiser = sf.staff("organiser", region=sf.commune(province), username="btc_xa")
    draft = _official_draft(other_province_author)
    client.force_login(commune_organiser)
    assert client.delete(f"/api/quizbank/questions/{draft.pk}/").status_code == 403
    resp = client.post("/api/quizbank/questions/bulk/", {"ids": [draft.pk], "action": "delete"}, "application/json")
    assert resp.status_code == 403
    client.post(f"/quizbank/{draft.pk}/delete/")
    assert Question.objects.filter(pk=draft.pk).exists()


def test_another_provinces_organiser_cannot_delete_an_official_draft(client, organiser, other_province_author):
    draft = _official_draft(other_province_author)
    client.force_login(organiser)
    assert client.delete(f"/api/quizbank/questions/{draft.pk}/").status_code == 403
    assert Question.objects.filter(pk=draft.pk).exists()


def test_the_author_and_their_provinces_organiser_delete_official_drafts(client, province, organiser):
    commune_author = sf.staff("organiser", region=sf.commune(province), username="btc_xa")
    own = _official_draft(commune_author)
    client.force_login(commune_author)
    assert client.delete(f"/api/quizbank/questions/{own.pk}/").status_code == 204
    theirs = _official_draft(commune_author)
    client.force_login(organiser)  # the province over the author's commune
    assert client.delete(f"/api/quizbank/questions/{theirs.pk}/").status_code == 204
    assert not Question.objects.filter(pk__in=[own.pk, theirs.pk]).exists()
