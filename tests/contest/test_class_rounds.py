"""Teachers' own class rounds (homework): a teacher sets a window round for the classes they
teach, with questions they may see; only those classes' pupils play it; the class results page
and its export list every pupil; the round never belongs to a contest."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from contest import services
from contest.models import Round
from contest.scope import may_play, playable_rounds
from contest.services.class_rounds import class_round_create
from core.errors import Forbidden, NotFound, ValidationFailed
from tests.contest import factories as cf
from tests.contest.helpers import take
from tests.quizbank import factories as qf
from tests.schools import factories as sf

pytestmark = pytest.mark.django_db


@pytest.fixture
def homework(w):
    """Teacher of 9A1 (w.klass, two pupils) and of nothing else; a second class 9A2 with one pupil."""
    w.teacher = sf.staff("teacher", school_obj=w.school, username="gv_9a1")
    w.klass.teachers.add(w.teacher)
    w.other_class = sf.klass(w.school, "9A2", 9)
    w.other_pupil = sf.student(
        w.school, w.other_class, full_name='=HYPERLINK("x") Lê Thị Khác', username="hs_9a2_khac"
    ).user
    w.questions = cf.questions(3)
    return w


def _values(**overrides) -> dict:
    now = timezone.now()
    values = {
        "name": "Bài tập tuần 3",
        "opens_at": now - datetime.timedelta(minutes=5),
        "closes_at": now + datetime.timedelta(days=2),
        "duration_s": 600,
        "attempts_policy": "one",
        "shuffle_questions": False,
        "shuffle_choices": True,
        "scoring_format": "contest",
        "reveal_after_attempt": 2,
        "reveal_after_close": 4,
    }
    return {**values, **overrides}


def test_teacher_sets_a_round_for_their_class_only(homework):
    w = homework
    r = class_round_create(
        user=w.teacher, class_ids=[w.klass.pk], question_ids=[q.pk for q in w.questions], **_values()
    )
    assert r.contest_id is None and r.school_id == w.school.pk and r.mode == "window"
    assert list(r.classes.all()) == [w.klass]
    assert r.round_questions.count() == 3
    # The pupils of 9A1 play it; the pupil of 9A2 in the same school neither sees nor plays it.
    assert may_play(w.students[0], r)
    assert not may_play(w.other_pupil, r)
    assert r in playable_rounds(w.students[0]) and r not in playable_rounds(w.other_pupil)
    with pytest.raises(NotFound):
        services.attempt_start(user=w.other_pupil, round_=r)
    attempt = take(w.students[0], r, correct=2)
    assert attempt.score == 20 and attempt.counted


def test_a_class_the_teacher_does_not_teach_is_refused(homework):
    w = homework
    with pytest.raises(ValidationFailed) as err:
        class_round_create(user=w.teacher, class_ids=[w.other_class.pk], **_values())
    assert err.value.code == "bad_classes"
    with pytest.raises(Forbidden):
        class_round_create(user=w.students[0], class_ids=[w.klass.pk], **_values())
    assert not Round.objects.filter(contest__isnull=True).exists()


def test_questions_the_teacher_may_not_see_are_refused(homework):
    w = homework
    other_school = sf.school(w.commune)
    colleague = sf.staff("teacher", school_obj=other_school)
    private = qf.make(user=colleague, bank=qf.teacher_bank(colleague), status="approved")
    with pytest.raises(ValidationFailed):
        class_round_create(user=w.teacher, class_ids=[w.klass.pk], question_ids=[private.pk], **_values())
    assert not Round.objects.filter(contest__isnull=True).exists()  # nothing half-made


def test_teacher_pages_create_results_and_export(client, homework):
    w = homework
    client.force_login(w.teacher)
    assert client.get(reverse("contest:manage")).status_code == 403  # the organisers' pages stay theirs
    page = client.get(reverse("contest:class_round_create")).content.decode()
    assert "9A1" in page and "9A2" not in page
    now = timezone.localtime()
    resp = client.post(
        reverse("contest:class_round_create"),
        {
            "name": "Bài tập an toàn mạng",
            "classes": [w.klass.pk],
            "opens_at": (now - datetime.timedelta(minutes=1)).strftime("%d/%m/%Y %H:%M"),
            "closes_at": (now + datetime.timedelta(days=1)).strftime("%d/%m/%Y %H:%M"),
            "duration_min": "10",
            "attempts_policy": "one",
            "reveal_after_attempt": "2",
            "reveal_after_close": "4",
        },
    )
    r = Round.objects.get(name="Bài tập an toàn mạng")
    assert resp.status_code == 302 and resp.url == reverse("contest:round_questions", args=[r.pk])
    # The existing picker works for the teacher and offers what they may see.
    resp = client.post(reverse("contest:round_questions", args=[r.pk]), {"questions": [q.pk for q in w.questions]})
    assert resp.status_code == 302 and r.round_questions.count() == 3
    assert client.get(reverse("contest:round_manage", args=[r.pk])).status_code == 200
    listing = client.get(reverse("contest:class_rounds")).content.decode()
    assert "Bài tập an toàn mạng" in listing

    take(w.students[0], r, correct=3, submit_after_s=75)
    html = client.get(reverse("contest:class_results", args=[r.pk])).content.decode()
    assert "1/2 học sinh đã nộp bài" in html
    assert "30 / 30" in html and "3/3" in html and "1 phút 15 giây" in html
    assert "Chưa làm" in html  # the second pupil of 9A1
    assert "Lê Thị Khác" not in html  # 9A2 is not in this round

    csv = client.get(reverse("contest:class_results_export", args=[r.pk, "csv"])).content.decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert lines[0].startswith("Họ và tên,Lớp,Trạng thái,Điểm")
    assert len(lines) == 3 and any(",Đã nộp bài,30,30,3,3,1 phút 15 giây," in line for line in lines)
    xlsx = client.get(reverse("contest:class_results_export", args=[r.pk, "xlsx"]))
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Họ và tên" and len(rows) == 3
    assert any(row[3] == 30 and row[5] == 3 for row in rows[1:])


def test_export_neutralises_formulas(client, homework):
    w = homework
    w.other_class.teachers.add(w.teacher)
    r = class_round_create(user=w.teacher, class_ids=[w.other_class.pk], question_ids=[w.questions[0].pk], **_values())
    client.force_login(w.teacher)
    csv = client.get(reverse("contest:class_results_export", args=[r.pk, "csv"])).content.decode("utf-8-sig")
    assert "'=hyperlink" in csv.lower() and ",=" not in csv


def test_results_are_out_of_scope_for_other_staff(client, homework):
    w = homework
    r = class_round_create(user=w.teacher, class_ids=[w.klass.pk], question_ids=[w.questions[0].pk], **_values())
    colleague = sf.staff("teacher", school_obj=w.school, username="gv_khac")
    w.other_class.teachers.add(colleague)
    stranger = sf.staff("teacher", school_obj=sf.school(w.commune), username="gv_truong_khac")
    for user in (colleague, stranger, w.students[0]):
        client.force_login(user)
        for url in (
            reverse("contest:class_results", args=[r.pk]),
            reverse("contest:class_results_export", args=[r.pk, "csv"]),
            reverse("contest:round_questions", args=[r.pk]),
        ):
            assert client.get(url).status_code in (403, 404), (user.username, url)
    # The school's coordinator and the organisers over its region keep their school-wide view.
    coordinator = sf.staff("coordinator", school_obj=w.school, username="dpv")
    for user in (coordinator, w.organiser):
        client.force_login(user)
        assert client.get(reverse("contest:class_results", args=[r.pk])).status_code == 200


def test_a_class_round_never_counts_for_the_contest(homework):
    w = homework
    r = class_round_create(user=w.teacher, class_ids=[w.klass.pk], question_ids=[w.questions[0].pk], **_values())
    take(w.students[0], r, correct=1)
    assert not w.contest.rounds.filter(pk=r.pk).exists()
    assert r.contest_id is None
