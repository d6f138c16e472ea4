"""``contest``: the rule of Vietnamese online contests (the default).

Fixed points per correct answer, no negative marking. Ranking: score desc, then
|prediction - actual| asc, then time used asc, then submit time asc. The actual value is
known only at close, so the live order (``final=False``) skips the prediction.
"""

from django.utils.translation import gettext_lazy as _

from contest.scoring.base import AnswerContext, ConfigField, ScoringFormat, Standing, or_last
from contest.scoring.registry import register


@register
class ContestFormat(ScoringFormat):
    name = "contest"
    label = _("Cuộc thi (điểm, dự đoán, thời gian)")
    description = _(
        "Điểm cao hơn xếp trên; bằng điểm thì dự đoán gần đúng hơn, rồi thời gian làm bài ít hơn, rồi nộp bài sớm hơn."
    )
    uses_prediction = True
    fields = (
        ConfigField("points_per_question", _("Điểm mỗi câu"), float, 10.0, minimum=0.1, maximum=1000),
        ConfigField("partial_credit", _("Tính điểm từng phần"), bool, False),
    )

    def answer_points(self, ctx: AnswerContext) -> float:
        share = ctx.fraction if self.config["partial_credit"] else (1.0 if ctx.correct else 0.0)
        return round(self.config["points_per_question"] * share, 4)

    def max_score(self, question_count: int) -> float:
        return round(self.config["points_per_question"] * question_count, 4)

    def rank_key(self, st: Standing, *, final: bool) -> tuple:
        if not final:
            return (-st.score, or_last(st.time_used_ms), or_last(st.submitted_at_ms))
        return (-st.score, or_last(st.prediction_error), or_last(st.time_used_ms), or_last(st.submitted_at_ms))
