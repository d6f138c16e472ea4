"""``elimination``: "Rung chuông vàng". Each correct answer earns the same points; a wrong or
missing answer puts the player out until the host rescues them.

Who is still standing is the live game's state (``live.models.LivePlayer.out_index``), not a
function of the answers alone, because a rescue brings players back. So this format prices
answers like ``accuracy`` (without partial credit: an answer is right or it is out), and the
live game ranks players still standing first, then by how long they lasted, then by this
format's key. It is used only by live games, so it lives in the live app and registers
itself when ``live.apps`` imports this module; the contest package knows nothing of it.
"""

from django.utils.translation import gettext_lazy as _

from contest.scoring import AnswerContext, ConfigField, ScoringFormat, register


@register
class Elimination(ScoringFormat):
    name = "elimination"
    label = _("Rung chuông vàng (loại trực tiếp)")
    description = _(
        "Trả lời sai hoặc không trả lời thì bị loại; người dẫn có thể cứu trợ. Người trụ lại cuối cùng thắng."
    )
    fields = (ConfigField("points_per_question", _("Điểm mỗi câu"), float, 1.0, minimum=0.1, maximum=1000),)

    def answer_points(self, ctx: AnswerContext) -> float:
        return round(self.config["points_per_question"], 4) if ctx.correct else 0.0

    def max_score(self, question_count: int) -> float:
        return round(self.config["points_per_question"] * question_count, 4)
