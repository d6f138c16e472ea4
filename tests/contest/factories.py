"""Contest test data, built through the real services of schools, quizbank and contest."""

import datetime
import itertools

from django.utils import timezone

from contest import services
from quizbank.services import question_create
from tests.quizbank import factories as qf
from tests.schools import factories as sf

_seq = itertools.count(1)


class World(dict):
    __getattr__ = dict.__getitem__


def questions(n: int = 5, *, topics=None, difficulty=2) -> list:
    """Approved official questions: a mix of every type, cycling."""
    makers = [qf.single, qf.multiple, qf.truefalse, qf.short, qf.numeric, qf.ordering]
    out = []
    for i in range(n):
        k = next(_seq)
        content = makers[i % len(makers)](stem=f"Câu hỏi thử số {k}?", difficulty=difficulty)
        out.append(question_create(user=None, bank=qf.OFFICIAL, content=content, status="approved", topics=topics))
    return out


def world(*, students: int = 2) -> World:
    """A province with one school, a class 9A1, students, an organiser, and a contest."""
    w = World()
    w.province = sf.province()
    w.commune = sf.commune(w.province)
    w.school = sf.school(w.commune, levels=["thcs"])
    w.klass = sf.klass(w.school, "9A1", 9)
    w.organiser = sf.staff("organiser", region=w.province, username=f"btc{next(_seq)}")
    w.students = [
        sf.student(w.school, w.klass, full_name=f"Nguyễn Văn Học Sinh {i}", username=f"hs{next(_seq)}").user
        for i in range(students)
    ]
    w.contest = services.contest_create(
        user=w.organiser,
        name="Tìm hiểu chuyển đổi số 2026",
        year=2026,
        region=w.province,
        levels=["thcs"],
        individual_prizes=[{"name": "Giải Nhất", "count": 1}, {"name": "Giải Nhì", "count": 3}],
    )
    return w


def round_(w: World, *, questions_list=None, n_questions: int = 5, **overrides):
    """An open window round of ``w.contest`` with a fixed list of questions."""
    now = timezone.now()
    values = {
        "name": f"Tuần {next(_seq)}",
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=7),
        "duration_s": 15 * 60,
        "attempts_policy": "one",
        "selection": "fixed",
        "scoring_format": "contest",
        "reveal_during": 0,
        "reveal_after_attempt": 1,
        "reveal_after_close": 4,
    }
    values.update(overrides)
    r = services.round_create(user=w.organiser, contest=w.contest, **values)
    if values["selection"] == "fixed":
        qs = questions_list if questions_list is not None else questions(n_questions)
        services.round_set_questions(user=w.organiser, round_=r, question_ids=[q.pk for q in qs])
    return r


def correct_response(version) -> dict:
    from quizbank.presentation import correct_response as cr

    resp = cr(version)
    resp.pop("accepted", None)
    resp.pop("tolerance", None)
    return resp


def wrong_response(version) -> dict:
    if version.qtype in ("single", "truefalse"):
        wrong = next(c["id"] for c in version.choices if not c.get("correct"))
        return {"choice": wrong}
    if version.qtype == "multiple":
        return {"choices": [c["id"] for c in version.choices if not c.get("correct")][:1]}
    if version.qtype == "short":
        return {"text": "sai bét"}
    if version.qtype == "numeric":
        return {"value": float(version.answer["value"]) + 1000}
    return {"order": list(reversed(version.choice_ids()))}
