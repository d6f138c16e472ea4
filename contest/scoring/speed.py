"""``speed``: Kahoot-like. A correct answer earns between ``min_share`` and 100 % of
``max_points``, falling linearly with the time taken; an optional streak bonus rewards runs of
correct answers in question order.

In a window round the time is measured from the start of the attempt against its duration; a
live round measures it from the moment the question was shown against its time limit.

Partial weights: the speed format pays only a fully correct answer. An answer that earns part
of a question (a wrong single-choice option with a weight, partial credit in multiple choice
or ordering) is ``correct: false`` and earns 0 points here, so ``correct`` and the points
always agree and every paid answer earns at least ``min_share`` of ``max_points``. The
accuracy and contest formats pay partial weights.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from contest.scoring.base import AnswerContext, ConfigField, ScoringFormat
from contest.scoring.registry import register
from core.errors import ValidationFailed


@register
class Speed(ScoringFormat):
    name = "speed"
    additive = False  # the streak bonus depends on neighbouring answers
    label = _lazy("Tốc độ (kiểu Kahoot)")
    description = _lazy("Trả lời đúng càng nhanh càng nhiều điểm (50-100 %), có thể cộng thưởng chuỗi câu đúng.")
    fields = (
        ConfigField("max_points", _lazy("Điểm tối đa mỗi câu"), int, 1000, minimum=1, maximum=100000),
        ConfigField("min_share", _lazy("Tỉ lệ điểm tối thiểu khi đúng"), float, 0.5, minimum=0.0, maximum=1.0),
        ConfigField("streak_bonus", _lazy("Thưởng mỗi câu đúng liên tiếp"), int, 0, minimum=0, maximum=10000),
        ConfigField("streak_cap", _lazy("Chuỗi thưởng tối đa"), int, 5, minimum=1, maximum=100),
    )

    @classmethod
    def check(cls, config: dict) -> None:
        if config["streak_bonus"] > config["max_points"]:
            raise ValidationFailed(
                _("Điểm thưởng chuỗi không được lớn hơn điểm tối đa mỗi câu."),
                code="bad_scoring_config",
                fields={"streak_bonus": [_("Điểm thưởng chuỗi không được lớn hơn điểm tối đa mỗi câu.")]},
            )

    def answer_points(self, ctx: AnswerContext) -> float:
        if not ctx.correct:
            return 0.0  # partial weights earn nothing in this format (module docstring)
        late = min(1.0, max(0.0, ctx.elapsed_ms / ctx.limit_ms)) if ctx.limit_ms > 0 else 0.0
        share = 1.0 - (1.0 - self.config["min_share"]) * late
        return float(round(self.config["max_points"] * share))

    def attempt_score(self, answers: list[tuple[bool, float] | None]) -> float:
        total, streak = 0.0, 0
        bonus, cap = self.config["streak_bonus"], self.config["streak_cap"]
        for answer in answers:
            if answer is None or not answer[0]:
                streak = 0
                total += answer[1] if answer is not None else 0.0
                continue
            total += answer[1]
            streak += 1
            if streak >= 2:
                total += bonus * min(streak - 1, cap)
        return round(total, 4)

    def max_score(self, question_count: int) -> float:
        bonus = sum(self.config["streak_bonus"] * min(k, self.config["streak_cap"]) for k in range(1, question_count))
        return float(self.config["max_points"] * question_count + bonus)
