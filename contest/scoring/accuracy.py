"""``accuracy``: points per correct answer; ties by time used, then submit time."""

from django.utils.translation import gettext_lazy as _

from contest.scoring.base import AnswerContext, ConfigField, ScoringFormat
from contest.scoring.registry import register


@register
class Accuracy(ScoringFormat):
    name = "accuracy"
    label = _("Độ chính xác")
    description = _("Mỗi câu đúng được điểm như nhau; bằng điểm thì ai làm nhanh hơn, nộp sớm hơn xếp trên.")
    fields = (
        ConfigField("points_per_question", _("Điểm mỗi câu"), float, 1.0, minimum=0.1, maximum=1000),
        ConfigField("partial_credit", _("Tính điểm từng phần"), bool, True),
    )

    def answer_points(self, ctx: AnswerContext) -> float:
        share = ctx.fraction if self.config["partial_credit"] else (1.0 if ctx.correct else 0.0)
        return round(self.config["points_per_question"] * share, 4)

    def max_score(self, question_count: int) -> float:
        return round(self.config["points_per_question"] * question_count, 4)
