"""Reads for teachers' class rounds: the teacher's list and a round's class results."""

from django.db.models import Count, Q, QuerySet

from contest.models import Attempt, AttemptStatus, Round
from contest.scoring.registry import format_for
from schools.models import Student
from schools.selectors import classes_in_scope


def class_rounds_for(user) -> QuerySet[Round]:
    """Window rounds set for classes the user manages (a teacher's own, a coordinator's
    school), newest first, with their classes and submitted-attempt counts."""
    return (
        Round.objects.filter(contest__isnull=True, mode="window", classes__in=classes_in_scope(user))
        .distinct()
        .prefetch_related("classes")
        .annotate(
            submitted=Count(
                "attempts__user",
                filter=~Q(attempts__status=AttemptStatus.IN_PROGRESS),
                distinct=True,
            )
        )
        .order_by("-opens_at", "-pk")
    )


def class_results(round_: Round) -> dict:
    """Every pupil of the round's classes (in class, then Vietnamese name order) with the
    attempt that counts for them (else their latest), so the teacher sees who has not done
    it yet. Three queries whatever the class size."""
    classes = list(round_.classes.order_by("grade", "name"))
    students = list(
        Student.objects.filter(school_class__in=classes)
        .select_related("school_class", "user")
        .order_by("school_class__grade", "school_class__name", "name_sort", "pk")
    )
    attempts: dict[int, list[Attempt]] = {}
    for a in Attempt.objects.filter(round=round_).order_by("number"):
        attempts.setdefault(a.user_id, []).append(a)
    total = round_.round_questions.count()
    max_score = format_for(round_).max_score(total)
    rows = []
    for s in students:
        mine = attempts.get(s.user_id, [])
        shown = next((a for a in mine if a.counted), None) or (mine[-1] if mine else None)
        rows.append({"student": s, "attempt": shown, "attempts": len(mine)})
    done = sum(1 for r in rows if r["attempt"] is not None and r["attempt"].status != AttemptStatus.IN_PROGRESS)
    names = ", ".join(c.name for c in classes)
    return {
        "classes": classes,
        "class_names": names,
        "rows": rows,
        "total": total,
        "max_score": max_score,
        "done": done,
    }
