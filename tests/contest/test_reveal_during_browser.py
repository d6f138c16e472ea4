"""A practice round that shows the answers during the attempt: after a wrong answer the pupil
sees "Sai" and the right choice, on the demo class round (``hocsinh`` has not taken it)."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from contest import services
from contest.demo import CLASS_ROUND_NAME
from contest.models import Reveal, Round
from quizbank.models import QuestionVersion
from tests.contest import factories as cf
from tests.contest.helpers import versions_of
from tests.contest.test_browser import session_key

pytestmark = [pytest.mark.django_db]


def test_a_wrong_answer_in_a_practice_round_carries_the_right_one(w):
    r = cf.round_(w, practice=True, reveal_during=Reveal.ANSWERS, reveal_after_attempt=Reveal.ANSWERS)
    attempt = services.attempt_start(user=w.students[0], round_=r)
    v = next(v for v in versions_of(attempt) if v.qtype == "single")
    saved = services.answer_save(
        user=w.students[0], attempt_id=attempt.pk, version_id=v.pk, response=cf.wrong_response(v),
        received_at=timezone.now(),
    )  # fmt: skip
    assert saved.feedback["correct"] is False
    assert saved.feedback["correct_response"] == {"choice": v.correct_ids()[0]}


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_demo_pupil_sees_the_right_choice_after_a_wrong_answer(live_server_asgi, page):
    call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())
    homework = Round.objects.get(name=CLASS_ROUND_NAME, is_demo=True)
    # The teacher makes it a practice round that shows the answers during the attempt.
    Round.objects.filter(pk=homework.pk).update(practice=True, reveal_during=Reveal.ANSWERS)
    pupil = homework.owner.__class__.objects.get(username="hocsinh")

    page.context.add_cookies([{"name": "sessionid", "value": session_key(pupil), "url": live_server_asgi.url}])
    page.goto(f"{live_server_asgi.url}/contest/rounds/{homework.pk}/")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.get_by_test_id("connection")).to_have_text("Đã kết nối")
    section = page.locator("section.question[data-type=single]").first
    n = section.get_attribute("data-n")
    version = QuestionVersion.objects.get(pk=int(section.get_attribute("data-question")))
    right_id = version.correct_ids()[0]
    page.locator(f'#qnav button[data-goto="{n}"]').click()
    wrong = section.locator("label.choice").filter(has_not=page.locator(f'input[value="{right_id}"]')).first
    wrong.click()
    expect(page.get_by_test_id(f"save-state-{n}")).to_have_text("Đã lưu")

    right_label = section.locator("label.choice").filter(has=page.locator(f'input[value="{right_id}"]'))
    right_text = " ".join(right_label.inner_text().split())
    feedback = section.locator(".feedback")
    expect(feedback).to_have_text(f"Sai. Đáp án đúng: {right_text}")
    expect(right_label).to_have_class("choice is-correct")
    # Still there after a reload (from the socket's snapshot).
    page.reload()
    expect(page.get_by_test_id("connection")).to_have_text("Đã kết nối")
    page.locator(f'#qnav button[data-goto="{n}"]').click()
    expect(page.locator(f"#q-{n} .feedback")).to_have_text(f"Sai. Đáp án đúng: {right_text}")
    # The right answer, once chosen: "Đúng".
    page.locator(f"#q-{n} label.choice").filter(has=page.locator(f'input[value="{right_id}"]')).click()
    expect(page.locator(f"#q-{n} .feedback")).to_have_text("Đúng")
