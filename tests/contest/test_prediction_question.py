"""The tiebreak question "how many pupils will answer question N correctly?": chosen in the
round form, asked on the pupil's page by the pupil's own number, counted at the close."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from contest import services
from contest.models import Attempt, Round
from core.errors import ValidationFailed
from tests.contest import factories as cf
from tests.contest.helpers import versions_of

pytestmark = pytest.mark.django_db


def _take(user, r, *, right, predict, at):
    attempt = services.attempt_start(user=user, round_=r, now=at)
    for i, v in enumerate(versions_of(attempt)):
        response = cf.correct_response(v) if right(v) else cf.wrong_response(v)
        services.answer_save(
            user=user, attempt_id=attempt.pk, version_id=v.pk, response=response,
            received_at=at + datetime.timedelta(seconds=1 + i),
        )  # fmt: skip
    services.attempt_predict(user=user, attempt_id=attempt.pk, value=predict, now=at)
    services.attempt_submit(user=user, attempt_id=attempt.pk, now=at + datetime.timedelta(seconds=60))
    return attempt


def test_standings_count_the_pupils_right_on_the_chosen_question(w):
    r = cf.round_(w, n_questions=4, prediction_kind="question", prediction_question=2)
    chosen = r.round_questions.get(position=2).question_version_id
    a, b, c = [cf.sf.student(w.school, w.klass, username=f"pq{r.pk}_{i}").user for i in range(3)]
    t0 = timezone.now() - datetime.timedelta(hours=1)
    _take(a, r, right=lambda v: True, predict=2, at=t0)  # right on it
    _take(b, r, right=lambda v: v.pk != chosen, predict=5, at=t0)  # 3 of 4, wrong on it
    _take(c, r, right=lambda v: v.pk == chosen, predict=1, at=t0)  # only it
    services.round_finalize(round_id=r.pk, now=r.closes_at + datetime.timedelta(seconds=10))
    r.refresh_from_db()
    assert r.prediction_actual == 2  # a and c; "all correct" would have said 1
    errors = dict(Attempt.objects.filter(round=r).values_list("user_id", "prediction_error"))
    assert errors == {a.pk: 0, b.pk: 3, c.pk: 1}


def test_the_choice_is_checked_and_nothing_is_stored_when_it_is_wrong(w):
    with pytest.raises(ValidationFailed) as exc:
        cf.round_(w, prediction_kind="question")  # no question chosen
    assert "prediction_question" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        cf.round_(
            w, prediction_kind="question", prediction_question=1, selection="random",
            draw_spec=[{"topics": [], "difficulty": None, "count": 3}],
        )  # fmt: skip
    assert "prediction_kind" in exc.value.fields
    assert not Round.objects.filter(prediction_kind="question").exists()
    other = cf.round_(w, prediction_kind="participants", prediction_question=3)
    assert other.prediction_question is None  # only the "chosen question" kind keeps it


def test_organiser_picks_the_question_in_the_form_and_the_pupil_reads_it_by_their_number(w):
    r = cf.round_(w, n_questions=4, shuffle_questions=True)
    org = Client()
    org.force_login(w.organiser)
    form = org.get(f"/contest/manage/rounds/{r.pk}/edit/").content.decode()
    assert "Bao nhiêu người trả lời đúng một câu hỏi được chọn?" in form and 'name="prediction_question"' in form
    from contest.forms import RoundForm

    data = {k: v for k, v in RoundForm.initial_from(r).items() if v is not None and k != "scoring_config"}
    data.update(
        opens_at=timezone.localtime(r.opens_at).strftime("%d/%m/%Y %H:%M"),
        closes_at=timezone.localtime(r.closes_at).strftime("%d/%m/%Y %H:%M"),
        prediction_kind="question", prediction_question="3", shuffle_questions="on",
    )  # fmt: skip
    data = {k: v for k, v in data.items() if v is not False}
    resp = org.post(f"/contest/manage/rounds/{r.pk}/edit/", data)
    assert resp.status_code == 302, resp.content.decode()[:3000]
    r.refresh_from_db()
    assert (r.prediction_kind, r.prediction_question) == ("question", 3)
    detail = org.get(f"/contest/manage/rounds/{r.pk}/").content.decode()
    assert "Bao nhiêu người trả lời đúng câu 3?" in detail

    pupil = w.students[0]
    attempt = services.attempt_start(user=pupil, round_=r)
    chosen = r.round_questions.get(position=3).question_version_id
    mine = attempt.question_order.index(chosen) + 1
    client = Client()
    client.force_login(pupil)
    page = client.get(f"/contest/attempts/{attempt.pk}/").content.decode()
    assert f"Bao nhiêu người trả lời đúng câu {mine}?" in page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_demo_organiser_picks_the_chosen_question_kind_in_the_round_form(live_server_asgi, page):
    """On the demo data: "Tuần 2" draws its questions at random, so the form refuses the
    chosen-question kind with a translated error and the round keeps its prediction."""
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from playwright.sync_api import expect

    from tests.contest.test_browser import session_key

    call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())
    week2 = Round.objects.get(name="Tuần 2", is_demo=True)
    organiser = get_user_model().objects.get(username="bantochuc")
    page.context.add_cookies([{"name": "sessionid", "value": session_key(organiser), "url": live_server_asgi.url}])
    page.goto(f"{live_server_asgi.url}/contest/manage/rounds/{week2.pk}/edit/")
    page.get_by_label("Câu hỏi dự đoán").select_option(label="Bao nhiêu người trả lời đúng một câu hỏi được chọn?")
    page.get_by_label("Câu số (khi hỏi về một câu được chọn)").fill("2")
    page.get_by_role("button", name="Lưu vòng thi").click()
    expect(page.get_by_text("Câu hỏi dự đoán về một câu chỉ dùng được với danh sách câu hỏi cố định.")).to_be_visible()
    week2.refresh_from_db()
    assert (week2.prediction_kind, week2.prediction_question) == ("all_correct", None)
