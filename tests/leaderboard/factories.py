"""Leaderboard test data: schools through the schools services, contests and rounds as rows,
attempts with chosen results (then counted by the contest's own rule, ``recount_user``).

Hand-computed expectations need exact scores and times, which real answers would only
approximate; the hook and the write path are exercised separately through the services.
"""

import datetime
import itertools

from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from contest import hooks
from contest.models import Attempt, AttemptStatus, Contest, Round
from contest.scoring import get_format
from contest.services import recount_user
from tests.schools import factories as sf

_seq = itertools.count(1)
T0 = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)


def committed():
    """Run the on-commit callbacks (the boards hook) when the block ends, as a commit would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def contest(region, **kwargs) -> Contest:
    values = {
        "name": "Hội thi Chuyển đổi số",
        "year": 2026,
        "region": region,
        "individual_prizes": [{"name": "Giải Nhất", "count": 1}, {"name": "Giải Nhì", "count": 2}],
        "unit_prizes": [{"name": "Giải tập thể", "count": 1}],
        "prize_points": {"Giải Nhất": 10, "Giải Nhì": 8},
        "opens_at": T0,
    }
    values.update(kwargs)
    return Contest.objects.create(**values)


def round_(contest_obj=None, *, opens=T0, hours=24, name=None, **kwargs) -> Round:
    values = {
        "contest": contest_obj,
        "name": name or f"Tuần {next(_seq)}",
        "opens_at": opens,
        "closes_at": opens + datetime.timedelta(hours=hours),
        "duration_s": 1200,
        "scoring_format": "contest",
    }
    values.update(kwargs)
    # Normalised as round_create stores it (else a later round_update sees a change and re-scores).
    values.setdefault("scoring_config", get_format(values["scoring_format"]).validate({}))
    return Round.objects.create(**values)


def attempt(
    round_obj,
    student,
    *,
    score: float,
    time_s: float = 600,
    submitted: datetime.datetime | None = None,
    prediction: int | None = None,
    status: str = AttemptStatus.SUBMITTED,
    correct: int = 0,
    started: datetime.datetime | None = None,
) -> Attempt:
    """A closed (or running) attempt with exactly these results; counts it and runs the hooks
    (after the commit, as in production)."""
    with committed(), transaction.atomic():
        number = Attempt.objects.filter(round=round_obj, user=student.user).count() + 1
        started = started or (submitted - datetime.timedelta(seconds=time_s) if submitted else round_obj.opens_at)
        running = status == AttemptStatus.IN_PROGRESS
        a = Attempt.objects.create(
            round=round_obj,
            user=student.user,
            student=student,
            number=number,
            question_order=[],
            started_at=started,
            deadline=started + datetime.timedelta(seconds=round_obj.duration_s),
            submitted_at=None if running else (submitted or started + datetime.timedelta(seconds=time_s)),
            closed_at=None if running else timezone.now(),
            status=status,
            score=score,
            correct_count=correct,
            time_used_ms=None if running else int(time_s * 1000),
            prediction=prediction,
        )
        recount_user(round_obj, student.user_id)
        hooks.attempts_changed([a])
    a.refresh_from_db()
    return a


def world(*, communes: int = 2, schools_per_commune: int = 2, province_code: str = "86"):
    """A province with communes, schools (THCS, enrolment of grade 9) and a class 9A each."""
    prov = sf.province(code=province_code, name="Vĩnh Long" if province_code == "86" else "Đồng Tháp")
    out = {"province": prov, "communes": [], "schools": [], "classes": []}
    for _c in range(communes):
        commune = sf.commune(prov)
        out["communes"].append(commune)
        for _s in range(schools_per_commune):
            school = sf.school(commune, levels=["thcs"], enrolment={9: 10, 8: 10})
            out["schools"].append(school)
            out["classes"].append(sf.klass(school, "9A", 9))
    return out


def pupil(school, klass=None, name="Nguyễn Văn An", **kwargs):
    return sf.student(school, klass, name, **kwargs)
