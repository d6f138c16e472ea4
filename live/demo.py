"""Demo data: ready-to-host live games for the demo teacher (``giaovien``).

Two live rounds of demo-bank questions at giaovien's school: a classic quiz and a "Rung chuông
vàng" (elimination). The teacher opens either from "Trò chơi trực tiếp" with one click ("Mở
phòng chờ"), which draws a fresh PIN; players join with a nickname. Idempotent: existing demo
rounds are kept. Without the demo bank or the demo school (their seeds did not run) it does
nothing.
"""

from django.contrib.auth import get_user_model

from contest.models import Reveal, Round, RoundMode
from contest.services import round_create, round_set_questions
from quizbank.selectors import approved_questions
from schools.selectors import schools_in_scope, user_manages_school

GAMES = [
    # (name, scoring format, seconds per question, questions)
    ("Khởi động: An toàn trên mạng", "speed", 20, 8),
    ("Rung chuông vàng: Công dân số", "elimination", 20, 10),
]


def seed(out) -> None:
    teacher = get_user_model().objects.filter(username="giaovien").first()
    if teacher is None:
        out.write("  live: no demo teacher; skipped\n")
        return
    school = next((s for s in schools_in_scope(teacher) if user_manages_school(teacher, s)), None)
    if school is None:
        out.write("  live: the demo teacher has no school; skipped\n")
        return
    pool = list(
        approved_questions(language="vi")
        .filter(qtype__in=["single", "truefalse", "multiple"], external_key__startswith="demo:")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not pool:
        out.write("  live: no demo questions; skipped\n")
        return
    made = 0
    start = 0
    for name, fmt, seconds, count in GAMES:
        picked = pool[start : start + count] or pool[:count]
        start += count
        if Round.objects.filter(mode=RoundMode.LIVE, name=name, school=school, is_demo=True).exists():
            continue
        round_ = round_create(
            user=teacher,
            school=school,
            name=name,
            mode=RoundMode.LIVE,
            duration_s=max(10, seconds),
            selection="fixed",
            shuffle_questions=False,
            shuffle_choices=False,
            scoring_format=fmt,
            scoring_config={},
            reveal_during=Reveal.NOTHING,
            reveal_after_attempt=Reveal.EXPLANATIONS,
            reveal_after_close=Reveal.EXPLANATIONS,
        )
        round_set_questions(user=teacher, round_=round_, question_ids=picked)
        Round.objects.filter(pk=round_.pk).update(is_demo=True)
        made += 1
    out.write(f"  live: {made} ready-to-host games for giaovien\n")
