"""Demo data: the yearly contest of the demo province, one open round and one closed round.

The closed round has results: 30 demo pupils (and the ``hocsinh`` account) took it, their
answers were scored and the final standings stored, so the result pages and the organiser's
standings have something to show. Idempotent: an existing demo contest and its rounds are
kept; a closed round without standings is finalized.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from contest import services
from contest.models import Contest, Reveal, Round
from contest.services.answers import SaveRequest, answers_save_batch
from quizbank.models import QuestionVersion
from quizbank.presentation import correct_response
from quizbank.selectors import approved_questions
from schools.models import Region, Student

CONTEST_NAME = "Cuộc thi Tìm hiểu chuyển đổi số dành cho học sinh năm 2026"
RULES = """1. Đối tượng: học sinh THCS, THPT trên địa bàn tỉnh.
2. Mỗi tuần một vòng thi, mở từ 10:00 thứ Hai đến 10:00 thứ Hai tuần sau.
3. Mỗi vòng 10 câu trắc nghiệm, làm trong 15 phút, mỗi câu đúng 10 điểm, không trừ điểm câu sai.
4. Câu hỏi phụ: dự đoán số người trả lời đúng tất cả các câu hỏi.
5. Xếp hạng: điểm cao hơn; bằng điểm thì dự đoán gần đúng hơn; rồi thời gian làm bài ít hơn; rồi nộp bài sớm hơn.
6. Xếp hạng chung cả năm: tổng điểm các vòng; bằng điểm thì tổng sai số dự đoán nhỏ hơn; rồi tổng thời gian ít hơn.
7. Nghiêm cấm thi hộ, thi nhóm; kết quả vi phạm bị loại."""


def _monday_10(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    monday = (local - datetime.timedelta(days=local.weekday())).replace(hour=10, minute=0, second=0, microsecond=0)
    return monday if monday <= local else monday - datetime.timedelta(days=7)


def _round_values(name, opens, **extra) -> dict:
    return {
        "name": name,
        "opens_at": opens,
        # Back to back, Monday 10:00 to the next Monday 10:00: with the common "until 09:00"
        # the demo would have no open round for an hour every Monday.
        "closes_at": opens + datetime.timedelta(days=7),
        "duration_s": 15 * 60,
        "attempts_policy": "one",
        "scoring_format": "contest",
        "prediction_kind": "all_correct",
        "reveal_during": Reveal.NOTHING,
        "reveal_after_attempt": Reveal.SCORE,
        "reveal_after_close": Reveal.EXPLANATIONS,
        **extra,
    }


def _wrong(version, rng) -> dict:
    wrong = [c["id"] for c in version.choices if not c.get("correct")]
    if version.qtype in ("single", "truefalse"):
        return {"choice": rng.choice(wrong)}
    if version.qtype == "multiple":
        return {"choices": wrong[:1]}
    if version.qtype == "short":
        return {"text": "không biết"}
    if version.qtype == "numeric":
        return {"value": float(version.answer.get("value", 0)) + 1}
    return {"order": list(reversed(version.choice_ids()))}


def _take(user, round_, rng, at, versions_by_id) -> None:
    attempt = services.attempt_start(user=user, round_=round_, now=at)
    skill = rng.random()
    requests = []
    for i, vid in enumerate(attempt.question_order):
        version = versions_by_id[vid]
        right = rng.random() < 0.45 + 0.55 * skill
        response = correct_response(version) if right else _wrong(version, rng)
        response.pop("accepted", None)
        response.pop("tolerance", None)
        requests.append(
            SaveRequest(user.pk, attempt.pk, vid, response, at + datetime.timedelta(seconds=20 + 25 * i), "ws")
        )
    answers_save_batch(requests)
    if round_.prediction_kind:
        services.attempt_predict(user=user, attempt_id=attempt.pk, value=rng.randint(1, 12), now=at)
    services.attempt_submit(
        user=user, attempt_id=attempt.pk, now=at + datetime.timedelta(seconds=rng.randint(200, 880))
    )


@transaction.atomic
def seed(out) -> None:
    province = Region.objects.filter(code="86", is_demo=True).first()
    pool = list(approved_questions(language="vi").order_by("pk")[:20]) if province else []
    User = get_user_model()
    organiser = User.objects.filter(username="bantochuc").first() or User.objects.filter(is_superuser=True).first()
    if province is None or len(pool) < 20 or organiser is None:
        out.write("  contest: needs the demo province, 20 approved questions and an organiser; skipped\n")
        return
    now = timezone.now()
    contest = Contest.objects.filter(name=CONTEST_NAME, is_demo=True).first()
    if contest is None:
        contest = services.contest_create(
            user=organiser,
            name=CONTEST_NAME,
            year=now.year,
            region=province,
            levels=["thcs", "thpt"],
            grades=list(range(6, 13)),
            rules=RULES,
            individual_prizes=[
                {"name": "Giải Nhất", "count": 1},
                {"name": "Giải Nhì", "count": 3},
                {"name": "Giải Ba", "count": 10},
                {"name": "Giải Khuyến khích", "count": 15},
            ],
            unit_prizes=[{"name": "Giải tập thể", "count": 2}],
            prize_points={"Giải Nhất": 10, "Giải Nhì": 8, "Giải Ba": 6, "Giải Khuyến khích": 4},
            organiser_name="Sở Giáo dục và Đào tạo Vĩnh Long",
            issue_place="Vĩnh Long",
            signer_title="Trưởng Ban tổ chức",
            signer_name="Nguyễn Thị Minh Hằng",
        )
        Contest.objects.filter(pk=contest.pk).update(is_demo=True)
    this_week = _monday_10(now)
    closed = Round.objects.filter(contest=contest, name="Tuần 1").first()
    if closed is None:
        closed = services.round_create(
            user=organiser,
            contest=contest,
            **_round_values("Tuần 1", this_week - datetime.timedelta(days=7), selection="fixed"),
        )
        services.round_set_questions(user=organiser, round_=closed, question_ids=[q.pk for q in pool[:10]])
        versions = {
            v.pk: v for v in QuestionVersion.objects.filter(pk__in=closed.round_questions.values("question_version"))
        }
        rng = random.Random(10)
        eligible = list(
            Student.objects.filter(is_demo=True, grade__gte=6, status="verified", school__commune__parent=province)
            .exclude(user__username="hocsinh")
            .order_by("pk")
        )
        takers = rng.sample(eligible, min(30, len(eligible)))
        hocsinh = Student.objects.filter(user__username="hocsinh").first()
        for i, student in enumerate([*takers, *([hocsinh] if hocsinh else [])]):
            _take(student.user, closed, rng, closed.opens_at + datetime.timedelta(hours=2 + 3 * i), versions)
    services.round_finalize(round_id=closed.pk, now=max(now, closed.closes_at + datetime.timedelta(seconds=5)))
    if not Round.objects.filter(contest=contest, name="Tuần 2").exists():
        services.round_create(
            user=organiser,
            contest=contest,
            **_round_values(
                "Tuần 2",
                this_week,
                selection="random",
                draw_language="vi",
                draw_spec=[{"topics": [], "difficulty": None, "count": 10}],
            ),
        )
    Round.objects.filter(contest=contest).update(is_demo=True)
    out.write(f"  contest: “{contest.name}” with {contest.rounds.count()} rounds\n")
    _class_round(pool[10:15], now, out)


CLASS_ROUND_NAME = "Bài tập lớp: An toàn trên mạng"


def _class_round(questions, now, out) -> None:
    """giaovien's homework for their first class, open this week, done by a few pupils (not
    ``hocsinh``, who can still take it). Never part of the contest."""
    from contest.services.class_rounds import class_round_create
    from schools.models import SchoolClass

    teacher = get_user_model().objects.filter(username="giaovien").first()
    hocsinh = Student.objects.filter(user__username="hocsinh").select_related("school_class").first()
    if teacher is None or hocsinh is None or hocsinh.school_class is None:
        return
    if Round.objects.filter(name=CLASS_ROUND_NAME, owner=teacher, contest__isnull=True).exists():
        return
    if not SchoolClass.objects.filter(pk=hocsinh.school_class_id, teachers=teacher).exists():
        return
    round_ = class_round_create(
        user=teacher,
        class_ids=[hocsinh.school_class_id],
        question_ids=[q.pk for q in questions],
        name=CLASS_ROUND_NAME,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=6),
        duration_s=15 * 60,
        attempts_policy="one",
        scoring_format="contest",
        shuffle_questions=True,
        shuffle_choices=True,
        reveal_after_attempt=Reveal.CORRECTNESS,
        reveal_after_close=Reveal.EXPLANATIONS,
    )
    versions = {
        v.pk: v for v in QuestionVersion.objects.filter(pk__in=round_.round_questions.values("question_version"))
    }
    rng = random.Random(12)
    classmates = list(
        Student.objects.filter(school_class_id=hocsinh.school_class_id, status="verified")
        .exclude(pk=hocsinh.pk)
        .order_by("pk")[:8]
    )
    for i, student in enumerate(classmates[: max(0, len(classmates) - 2)]):
        _take(student.user, round_, rng, now - datetime.timedelta(hours=20 - i), versions)
    Round.objects.filter(pk=round_.pk).update(is_demo=True)
    out.write(f"  contest: class round “{round_.name}” for {hocsinh.school_class.name}\n")
