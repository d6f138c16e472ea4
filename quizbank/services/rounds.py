"""What the contest engine calls: take a version for a round; record a round's results."""

import math

from django.db import transaction
from django.db.models import Sum

from quizbank.models import Question, QuestionUsage, QuestionVersion


@transaction.atomic
def version_for_round(question: Question) -> QuestionVersion:
    """The question's current version, marked used so a later edit creates a new version.

    Locks the question row: an edit running at the same time either finishes first (and the
    round takes the edited version) or waits and then sees ``used`` and makes a new version.
    """
    locked = Question.objects.select_for_update().get(pk=question.pk)
    version = QuestionVersion.objects.get(pk=locked.current_version_id)
    if not version.used:
        version.used = True
        version.save(update_fields=["used"])
    return version


def _point_biserial(pairs: list[tuple[float, float]]) -> float | None:
    """Correlation between the item's credit and the rest-of-test score (item excluded).

    None when it is undefined: fewer than 5 responses or no spread in either variable.
    """
    n = len(pairs)
    if n < 5:
        return None
    xs = [p[0] for p in pairs]
    ys = [p[1] - p[0] for p in pairs]  # corrected item-total: drop the item's own credit
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return round(sxy / math.sqrt(sxx * syy), 4)


@transaction.atomic
def stats_record(*, version: QuestionVersion, round_key: str, results: list[dict]) -> Question:
    """Record how one round's participants did on one question version, and refresh the
    question's statistics (times used, facility, discrimination, average time).

    ``results`` has one dict per participant who saw the question:
    ``{"fraction": float 0..1 (0 when unanswered), "time_s": float | None, "total": float}``
    where ``total`` is the participant's credit summed over every question of the round (the
    number of questions right, partial credit included; this question's credit included),
    used for discrimination. Calling it again for the same ``round_key`` replaces that round's
    record (re-scoring never double-counts).
    """
    credits = [min(1.0, max(0.0, float(r.get("fraction") or 0.0))) for r in results]
    times = [float(r["time_s"]) for r in results if r.get("time_s") is not None]
    totals = [float(r.get("total") or 0.0) for r in results]
    QuestionUsage.objects.update_or_create(
        version=version,
        round_key=str(round_key)[:80],
        defaults={
            "responses": len(results),
            "credit_sum": sum(credits),
            "time_sum_s": sum(times),
            "timed_responses": len(times),
            "discrimination": _point_biserial(list(zip(credits, totals, strict=True))),
        },
    )
    return _refresh_stats(version.question_id)


def _refresh_stats(question_id: int) -> Question:
    question = Question.objects.select_for_update().get(pk=question_id)
    usages = QuestionUsage.objects.filter(version__question_id=question_id)
    sums = usages.aggregate(
        responses=Sum("responses"), credit=Sum("credit_sum"), time=Sum("time_sum_s"), timed=Sum("timed_responses")
    )
    responses = sums["responses"] or 0
    question.times_used = usages.count()
    question.answer_count = responses
    question.facility = round(sums["credit"] / responses, 4) if responses else None
    question.avg_time_s = round(sums["time"] / sums["timed"], 2) if sums["timed"] else None
    # Discrimination: the rounds' coefficients weighted by their number of responses.
    weighted = [
        (u.discrimination, u.responses) for u in usages.exclude(discrimination=None).only("discrimination", "responses")
    ]
    weight = sum(w for _d, w in weighted)
    question.discrimination = round(sum(d * w for d, w in weighted) / weight, 4) if weight else None
    question.save(update_fields=["times_used", "answer_count", "facility", "avg_time_s", "discrimination"])
    return question
