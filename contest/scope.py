"""Who may touch which contest, round and attempt (``core.roles.register_scope`` rules).

Actions:
- "view": read it. Students see the contests and rounds of their audience and their own
  attempts; staff see what they manage.
- "play": start and take attempts (students of the audience only).
- "manage" (or anything else): change it, watch the monitor, read every attempt.

Organisers manage the contests of their regions (``schools.selectors.user_manages_region``);
a standalone round (a class game) is managed by the staff of its school.
"""

from django.db.models import Q, QuerySet

from contest.models import Attempt, Contest, Round
from core.roles import Role, has_role, register_scope
from schools.models.regions import GRADE_LEVEL
from schools.selectors import student_of, user_coordinates_school, user_manages_region, user_manages_school


def student_in_audience(student, contest: Contest) -> bool:
    """The student's school lies in the contest's region, and their grade/level is invited."""
    if student is None or not student.is_verified:
        return False
    commune = student.school.commune
    if contest.region_id not in (commune.pk, commune.parent_id):
        return False
    if contest.grades and student.grade not in contest.grades:
        return False
    level = GRADE_LEVEL.get(student.grade)
    return not (contest.levels and (level is None or str(level) not in contest.levels))


def manages_contest(user, contest: Contest) -> bool:
    return has_role(user, Role.ORGANISER) and user_manages_region(user, contest.region)


def manages_round(user, round_: Round) -> bool:
    if round_.contest_id is not None:
        return manages_contest(user, round_.contest)
    if user.is_superuser or (round_.owner_id is not None and round_.owner_id == user.pk):
        return True
    if round_.school_id is None:
        return False
    classes = class_ids(round_)
    if classes:
        # A teacher's class round: the school's coordinators and the teachers of its classes.
        return user_coordinates_school(user, round_.school) or (
            user_manages_school(user, round_.school) and round_.classes.filter(teachers=user).exists()
        )
    return user_manages_school(user, round_.school)


def class_ids(round_: Round) -> set[int]:
    """The classes a standalone round is set for (empty: the whole school or a contest)."""
    if round_.contest_id is not None or round_.pk is None:
        return set()
    return set(round_.classes.values_list("pk", flat=True))


def may_play(user, round_: Round) -> bool:
    student = student_of(user)
    if student is None or not student.is_verified:
        return False
    if round_.contest_id is not None:
        return student_in_audience(student, round_.contest)
    if round_.school_id is None or student.school_id != round_.school_id:
        return False
    classes = class_ids(round_)
    return not classes or student.school_class_id in classes


def _contest_rule(user, contest: Contest, action: str) -> bool:
    if action == "view" and student_in_audience(student_of(user), contest):
        return True
    return manages_contest(user, contest)


def _round_rule(user, round_: Round, action: str) -> bool:
    if action in ("view", "play") and may_play(user, round_):
        return True
    if action == "play":
        return False
    return manages_round(user, round_)


def _attempt_rule(user, attempt: Attempt, action: str) -> bool:
    if attempt.user_id == user.pk:
        return True
    # Staff may read and moderate attempts of rounds they manage; never write answers.
    return action in ("view", "manage") and manages_round(user, attempt.round)


def playable_rounds(user) -> QuerySet[Round]:
    """Window rounds the user may take as a student (any state), for the student's list."""
    student = student_of(user)
    if student is None or not student.is_verified:
        return Round.objects.none()
    commune = student.school.commune
    regions = [commune.pk] + ([commune.parent_id] if commune.parent_id else [])
    level = str(GRADE_LEVEL.get(student.grade, ""))
    candidates = Round.objects.filter(
        Q(contest__region_id__in=regions) | Q(contest__isnull=True, school_id=student.school_id), mode="window"
    ).select_related("contest")
    classes: dict[int, set[int]] = {}
    for round_id, class_id in Round.classes.through.objects.filter(
        round__in=candidates.filter(contest__isnull=True)
    ).values_list("round_id", "schoolclass_id"):
        classes.setdefault(round_id, set()).add(class_id)
    # Audience lists are JSON; filter them in Python (a student sees few contests).
    keep = [
        r.pk
        for r in candidates
        if (r.contest is None and (r.pk not in classes or student.school_class_id in classes[r.pk]))
        or (
            r.contest is not None
            and (not r.contest.grades or student.grade in r.contest.grades)
            and (not r.contest.levels or level in r.contest.levels)
        )
    ]
    return Round.objects.filter(pk__in=keep).select_related("contest")


def managed_contests(user) -> QuerySet[Contest]:
    if user.is_superuser:
        return Contest.objects.all()
    if not has_role(user, Role.ORGANISER):
        return Contest.objects.none()
    from schools.selectors import regions_in_scope

    return Contest.objects.filter(region__in=regions_in_scope(user))


def register() -> None:
    register_scope(Contest, _contest_rule)
    register_scope(Round, _round_rule)
    register_scope(Attempt, _attempt_rule)
