"""True/false choices are labelled from what the question stores, never from their ids.

Choice ids are random tokens; the stored order says which choice is the "true" statement
(quizbank.formats.base). The demo round "Tuần 1" has a true/false question that the demo
pupil ``hocsinh`` answered.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from contest import services
from contest.models import Attempt, Round
from quizbank.models import QuestionVersion
from quizbank.presentation import student_payload
from tests.contest.test_browser import session_key
from tests.quizbank import factories as qf

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize("true_is_correct", [True, False])
def test_payload_says_which_choice_is_the_true_statement(true_is_correct):
    content = qf.truefalse(true=true_is_correct)
    content["choices"] = [{**c, "id": ""} for c in content["choices"]]  # ids are drawn at random
    version = qf.make(content=content, status="approved").current_version
    assert version.choices[0]["id"] not in ("true", "false")
    payload = student_payload(version, choice_order=list(reversed(version.choice_ids())))
    assert [c["truth"] for c in payload["choices"]] == [False, True]
    assert "correct" not in str(payload["choices"])  # what it means, not whether it is right


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_demo_round_labels_true_false_on_attempt_and_review(live_server_asgi, page):
    call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())
    week1 = Round.objects.get(name="Tuần 1", is_demo=True)
    attempt = Attempt.objects.get(round=week1, user__username="hocsinh")
    tf = QuestionVersion.objects.filter(pk__in=attempt.question_order, qtype="truefalse").first()
    assert tf is not None, "the demo round Tuần 1 has a true/false question"
    n = attempt.question_order.index(tf.pk) + 1
    true_id = tf.choices[0]["id"]
    assert true_id != "true"

    page.context.add_cookies([{"name": "sessionid", "value": session_key(attempt.user), "url": live_server_asgi.url}])
    # The review after the round: "A. Đúng / B. Sai", the correct one marked by its meaning.
    page.goto(f"{live_server_asgi.url}/contest/attempts/{attempt.pk}/result/")
    card = page.locator("section.review article.card").nth(n - 1)
    items = [t.strip() for t in card.locator("li").all_inner_texts()]
    assert items[0].startswith("A. Đúng") and items[1].startswith("B. Sai"), items
    right = "Đúng" if tf.choices[0]["correct"] else "Sai"
    expect(card.locator("li.is-correct")).to_contain_text(right)
    chosen = next(a.response["choice"] for a in attempt.answers.all() if a.question_version_id == tf.pk)
    mine = "Đúng" if chosen == true_id else "Sai"
    expect(card.locator("li.mine")).to_contain_text(f"{mine} ← bạn chọn")

    # The attempt page: a new demo round with the same question, taken by the same pupil.
    now = timezone.now()
    fresh = services.round_create(
        user=_organiser(),
        contest=week1.contest,
        name="Tuần thử Đúng/Sai",
        opens_at=now - datetime.timedelta(minutes=5),
        closes_at=now + datetime.timedelta(days=1),
        duration_s=600,
        attempts_policy="one",
        selection="fixed",
        scoring_format="contest",
        reveal_during=0,
        reveal_after_attempt=1,
        reveal_after_close=4,
    )
    services.round_set_questions(user=_organiser(), round_=fresh, question_ids=[tf.question_id])
    page.goto(f"{live_server_asgi.url}/contest/rounds/{fresh.pk}/")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.get_by_test_id("connection")).to_have_text("Đã kết nối")
    expect(page.locator("#q-1 label.choice")).to_have_text(["A.Đúng", "B.Sai"])
    page.locator("#q-1 label.choice").first.click()
    expect(page.get_by_test_id("save-state-1")).to_have_text("Đã lưu")
    saved = Attempt.objects.get(round=fresh, user=attempt.user).answers.get()
    assert saved.response == {"choice": true_id}


def _organiser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="bantochuc")
