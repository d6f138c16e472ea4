"""Student and organiser pages through the real views: flows, scope, and no correctness in
the page HTML before the reveal policy allows."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from contest.models import Attempt, Contest, Round
from quizbank.services import question_create
from tests.contest import factories as cf
from tests.contest.helpers import take, versions_of
from tests.quizbank import factories as qf
from tests.schools import factories as sf

pytestmark = pytest.mark.django_db

SECRET_ANSWER = "DAPANBIMAT"
SECRET_EXPLANATION = "GIAITHICHBIMAT"


def secret_questions():
    return [
        question_create(
            user=None, bank=qf.OFFICIAL, status="approved",
            content=qf.short(accepted=(SECRET_ANSWER,), stem="Mật mã là gì?", explanation=SECRET_EXPLANATION),
        ),
        question_create(
            user=None, bank=qf.OFFICIAL, status="approved",
            content=qf.single(stem="Chọn một?", explanation=SECRET_EXPLANATION),
        ),
    ]  # fmt: skip


def login(client, user):
    client.force_login(user)
    return client


def test_student_starts_from_the_round_page_and_the_html_hides_the_answers(client, w):
    r = cf.round_(w, questions_list=secret_questions(), reveal_after_attempt=1, reveal_after_close=4)
    login(client, w.students[0])
    assert r.name in client.get("/contest/").content.decode()
    page = client.get(f"/contest/rounds/{r.pk}/").content.decode()
    assert "Bắt đầu làm bài" in page
    resp = client.post(f"/contest/rounds/{r.pk}/start/")
    attempt = Attempt.objects.get(user=w.students[0])
    assert resp.status_code == 302 and resp["Location"] == f"/contest/attempts/{attempt.pk}/"
    html = client.get(resp["Location"]).content.decode()
    assert 'id="countdown"' in html and "Mật mã là gì?" in html
    config = json.loads(html.split('id="attempt-config" type="application/json">')[1].split("</script>")[0])
    assert config["deadline"] == int(attempt.deadline.timestamp() * 1000)
    # The page's inlined critical stylesheet names the review classes; the markup must not use them.
    markup = re.sub(r"<style[^>]*>.*?</style>", "", html, flags=re.S)
    assert "<style" in html and "<style" not in markup
    for secret in (SECRET_ANSWER, SECRET_EXPLANATION, '"correct"', "is-correct", "correct_response"):
        assert secret not in markup
    # The single-choice question's correct option is not marked in any way.
    v = next(v for v in versions_of(attempt) if v.qtype == "single")
    correct_id = v.correct_ids()[0]
    assert html.count(f'value="{correct_id}"') == 1
    # After submitting: the score, still no answers (reveal_after_attempt = score).
    from contest import services

    services.attempt_submit(user=w.students[0], attempt_id=attempt.pk)
    result = client.get(f"/contest/attempts/{attempt.pk}/result/").content.decode()
    assert 'data-testid="score"' in result
    assert SECRET_ANSWER not in result and SECRET_EXPLANATION not in result
    # After the close: answers and explanations, as the policy says.
    Round.objects.filter(pk=r.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    result = client.get(f"/contest/attempts/{attempt.pk}/result/").content.decode()
    assert SECRET_ANSWER in result and SECRET_EXPLANATION in result and 'data-testid="rank"' in result


def test_nothing_is_shown_when_the_policy_hides_the_score(client, w):
    r = cf.round_(w, n_questions=2, reveal_after_attempt=0, reveal_after_close=0)
    a = take(w.students[0], r, correct=2)
    html = login(client, w.students[0]).get(f"/contest/attempts/{a.pk}/result/").content.decode()
    assert 'data-testid="hidden-note"' in html and 'data-testid="score"' not in html


def test_pages_check_scope(client, w):
    r = cf.round_(w, n_questions=2)
    a = take(w.students[0], r, correct=1, submit=False)
    login(client, w.students[1])
    assert client.get(f"/contest/attempts/{a.pk}/").status_code == 404
    assert client.get(f"/contest/attempts/{a.pk}/result/").status_code == 404
    assert client.get("/contest/manage/").status_code == 403
    assert client.get(f"/contest/manage/rounds/{r.pk}/monitor/").status_code == 404
    outsider = sf.student(sf.school(sf.commune(sf.province("87", "Đồng Tháp"))), username="ngoai").user
    login(client, outsider)
    assert client.get(f"/contest/rounds/{r.pk}/").status_code == 404
    assert client.post(f"/contest/rounds/{r.pk}/start/").status_code == 404
    assert not Attempt.objects.filter(user=outsider).exists()


def test_organiser_creates_a_contest_and_a_round_through_the_pages(client, w):
    login(client, w.organiser)
    assert client.get("/contest/manage/contests/new/").status_code == 200
    bad = client.post("/contest/manage/contests/new/", {"name": "", "year": "1990", "region": w.province.pk})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    good = client.post(
        "/contest/manage/contests/new/",
        {
            "name": "Cuộc thi trang", "year": "2026", "region": w.province.pk, "levels": ["thcs"],
            "grades": ["8", "9"], "opens_at": "2026-10-10T00:00", "individual_prizes": "Giải Nhất: 1\nGiải Nhì: 3",
            "prize_points": "Giải Nhất: 10\nGiải Nhì: 8", "tiebreak": "time",
        },
    )  # fmt: skip
    contest = Contest.objects.get(name="Cuộc thi trang")
    assert contest.tiebreak == "time"
    assert good.status_code == 302 and contest.individual_prizes[1] == {"name": "Giải Nhì", "count": 3}
    assert contest.prize_points == {"Giải Nhất": 10.0, "Giải Nhì": 8.0}
    form = {
        "name": "Tuần 1", "opens_at": "2026-11-30T10:00", "closes_at": "2026-12-07T09:00", "duration_min": "15",
        "attempts_policy": "one", "selection": "fixed", "scoring_format": "contest", "reveal_during": "0",
        "reveal_after_attempt": "1", "reveal_after_close": "4", "shuffle_questions": "on", "draw_language": "vi",
    }  # fmt: skip
    bad = client.post(f"/contest/manage/contests/{contest.pk}/rounds/new/", {**form, "closes_at": "2026-11-01T09:00"})
    assert "Thời điểm đóng phải sau thời điểm mở." in bad.content.decode()
    assert not Round.objects.filter(contest=contest).exists()
    made = client.post(f"/contest/manage/contests/{contest.pk}/rounds/new/", form)
    r = Round.objects.get(contest=contest)
    assert made["Location"] == f"/contest/manage/rounds/{r.pk}/questions/" and r.duration_s == 900
    qs = cf.questions(2)
    page = client.get(f"/contest/manage/rounds/{r.pk}/questions/").content.decode()
    assert f'value="{qs[0].pk}"' in page
    client.post(f"/contest/manage/rounds/{r.pk}/questions/", {"questions": [qs[1].pk, qs[0].pk]})
    assert [rq.question_version.question_id for rq in r.round_questions.all()] == [qs[1].pk, qs[0].pk]
    client.post(
        f"/contest/manage/rounds/{r.pk}/questions/",
        {"questions": [qs[1].pk, qs[0].pk], f"pos_{qs[0].pk}": "1", f"pos_{qs[1].pk}": "2"},
    )
    assert [rq.question_version.question_id for rq in r.round_questions.all()] == [qs[0].pk, qs[1].pk]
    random_form = {**form, "name": "Tuần 2", "selection": "random", "draw_count_0": "2", "draw_difficulty_0": "2"}
    client.post(f"/contest/manage/contests/{contest.pk}/rounds/new/", random_form)
    assert Round.objects.get(name="Tuần 2").draw_spec == [{"topics": [], "difficulty": 2, "count": 2}]


def test_organiser_pages_render_monitor_standings_rescore_and_disqualify(client, w):
    r = cf.round_(w, n_questions=2)
    a = take(w.students[0], r, correct=2)
    take(w.students[1], r, correct=1)
    login(client, w.organiser)
    for url in ("/contest/manage/", f"/contest/manage/contests/{w.contest.pk}/", f"/contest/manage/rounds/{r.pk}/",
                f"/contest/manage/rounds/{r.pk}/edit/", f"/contest/manage/rounds/{r.pk}/monitor/"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    standings = client.get(f"/contest/manage/rounds/{r.pk}/standings/").content.decode()
    assert "Nguyễn Văn Học Sinh 0" in standings
    resp = client.post(f"/contest/manage/rounds/{r.pk}/rescore/", follow=True)
    assert "Đã chấm lại" in resp.content.decode()
    client.post(f"/contest/manage/attempts/{a.pk}/disqualify/", {"disqualified": "on", "reason": "Thi hộ"})
    a.refresh_from_db()
    assert a.disqualified and not a.counted
