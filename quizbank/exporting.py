"""Export questions through the format writers (GIFT, Moodle XML, the XLSX template).

Each question's current version becomes a ``formats.ParsedQuestion``; its topics become
category paths of Vietnamese names ("Kỹ năng số/An toàn"), which ``importing.TopicResolver``
maps back, so an export re-imports as the same questions.
"""

from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from quizbank.models import Question, Topic

EXPORT_FORMATS = {
    "gift": ("text/plain; charset=utf-8", "txt"),
    "moodlexml": ("application/xml", "xml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
MAX_EXPORT = 5000


def topic_path(topic: Topic, parents: dict[int, Topic]) -> str:
    names = [topic.name_vi]
    node = topic
    while node.parent_id is not None and node.parent_id in parents:
        node = parents[node.parent_id]
        names.insert(0, node.name_vi)
    return "/".join(names)


def to_parsed(question: Question, parents: dict[int, Topic]):
    from quizbank.formats import ParsedQuestion

    v = question.current_version
    return ParsedQuestion(
        qtype=v.qtype,
        stem=v.stem,
        choices=[
            {"text": c["text"], "correct": bool(c.get("correct")), "weight": c.get("weight") or 0.0} for c in v.choices
        ],
        answer=dict(v.answer),
        partial_credit=v.partial_credit,
        difficulty=v.difficulty,
        language=v.language,
        explanation=v.explanation,
        source=v.source,
        topics=[topic_path(t, parents) for t in question.topics.all()],
        tags=list(question.tags),
        time_limit_s=v.time_limit_s,
        line=None,
    )


def export_questions(questions, fmt: str) -> tuple[bytes, str, str]:
    """Return ``(data, content_type, extension)`` for ``questions`` in ``fmt``."""
    from quizbank import formats

    if fmt not in EXPORT_FORMATS:
        raise ValidationFailed(fields={"format": [_("Định dạng không được hỗ trợ: %(f)s.") % {"f": fmt}]})
    questions = list(questions.select_related("current_version").prefetch_related("topics")[: MAX_EXPORT + 1])
    if len(questions) > MAX_EXPORT:
        raise ValidationFailed(_("Chỉ xuất được tối đa %(n)d câu hỏi một lần.") % {"n": MAX_EXPORT})
    parents = {t.pk: t for t in Topic.objects.all()}
    parsed = [to_parsed(q, parents) for q in questions if q.current_version is not None]
    content_type, ext = EXPORT_FORMATS[fmt]
    return formats.export(parsed, fmt), content_type, ext


TEMPLATE_EXAMPLE = {
    "qtype": "single",
    "stem": "Ngày Chuyển đổi số quốc gia là ngày nào trong năm?",
    "choices": [
        {"text": "10 tháng 10", "correct": True, "weight": 0.0},
        {"text": "2 tháng 9", "correct": False, "weight": 0.0},
        {"text": "20 tháng 11", "correct": False, "weight": 0.0},
        {"text": "1 tháng 6", "correct": False, "weight": 0.0},
    ],
    "answer": {},
    "partial_credit": False,
    "difficulty": 1,
    "language": "vi",
    "explanation": "Quyết định 505/QĐ-TTg ngày 22/4/2022 lấy ngày 10 tháng 10 hằng năm là Ngày Chuyển đổi số quốc gia.",
    "source": "Quyết định 505/QĐ-TTg ngày 22/4/2022",
    "topics": ["Chính sách chuyển đổi số"],
    "tags": ["ngày CĐS"],
    "time_limit_s": 30,
    "line": None,
}


def xlsx_template() -> bytes:
    """The project's XLSX template: Vietnamese headers and one example row."""
    from quizbank import formats

    template = getattr(formats, "template_xlsx", None)
    if template is not None:
        return template()
    return formats.export([formats.ParsedQuestion(**TEMPLATE_EXAMPLE)], "xlsx")
