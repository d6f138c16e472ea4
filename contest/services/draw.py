"""Random draws: a fresh paper per student from approved questions, by topic and difficulty.

A draw spec is a list of rows ``{"topics": [slug, ...], "difficulty": 1-3 | null, "count": n}``
(``services.setup.clean_draw_spec`` validates it). Rows are drawn in order; a question drawn by
an earlier row is excluded from later ones, so an attempt never repeats a question.
"""

import random

from django.utils.translation import gettext as _

from core.errors import Conflict
from quizbank.models import Question
from quizbank.selectors import approved_questions
from quizbank.services import version_for_round


def draw_pool(round_, row: dict):
    """Approved questions one spec row may draw from (contest rounds: the official bank)."""
    user = round_.owner if round_.contest_id is None else None
    return approved_questions(
        topics=row.get("topics") or None,
        difficulty=row.get("difficulty") or None,
        language=round_.draw_language or None,
        user=user,
    )


def draw_versions(round_, rng: random.Random) -> list:
    picked: list[int] = []
    for row in round_.draw_spec:
        pool = list(draw_pool(round_, row).exclude(pk__in=picked).values_list("pk", flat=True))
        pool.sort()  # the pool's order must not depend on the database's mood
        if len(pool) < row["count"]:
            raise Conflict(
                _("Ngân hàng không đủ câu hỏi đã duyệt cho quy tắc bốc câu hỏi của vòng thi."), code="pool_too_small"
            )
        picked.extend(rng.sample(pool, row["count"]))
    questions = {q.pk: q for q in Question.objects.filter(pk__in=picked).select_related("current_version")}
    versions = []
    for pk in picked:
        question = questions[pk]
        version = question.current_version
        # A used version is immutable: take it without the lock version_for_round holds.
        versions.append(version if version.used else version_for_round(question))
    return versions
