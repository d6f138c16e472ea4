"""Rules every imported question must meet, whatever its format. Messages are translated."""

from __future__ import annotations

import math

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.text import search_key
from quizbank.formats.base import (
    LANGUAGES,
    MAX_CHOICE_CHARS,
    MAX_CHOICES,
    MAX_STEM_CHARS,
    MAX_TIME_LIMIT,
    MIN_TIME_LIMIT,
    QTYPES,
    ParsedQuestion,
)


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def time_limit_message() -> str:
    return _("Thời gian trả lời phải là số giây từ %(min)s đến %(max)s.") % {
        "min": _n(MIN_TIME_LIMIT),
        "max": _n(MAX_TIME_LIMIT),
    }


def _choice_problems(q: ParsedQuestion) -> list[str]:
    out: list[str] = []
    if len(q.choices) < 2:
        out.append(_("Câu hỏi cần ít nhất hai lựa chọn."))
    if len(q.choices) > MAX_CHOICES:
        out.append(_("Câu hỏi có quá nhiều lựa chọn (tối đa %(max)s).") % {"max": _n(MAX_CHOICES)})
    seen: set[str] = set()
    for c in q.choices:
        if not c["text"]:
            out.append(_("Có lựa chọn để trống."))
            continue
        if len(c["text"]) > MAX_CHOICE_CHARS:
            out.append(_("Lựa chọn quá dài (tối đa %(max)s ký tự).") % {"max": _n(MAX_CHOICE_CHARS)})
        key = search_key(c["text"]) if q.qtype != "truefalse" else c["text"]
        if key in seen:
            out.append(_("Hai lựa chọn trùng nhau: “%(text)s”.") % {"text": c["text"]})
        seen.add(key)
    if q.qtype != "ordering" and q.choices and not any(c["correct"] for c in q.choices):
        out.append(_("Câu hỏi chưa có đáp án đúng."))
    return out


def problems(q: ParsedQuestion) -> list[str]:
    """Everything wrong with a canonicalised question; empty when it can be imported."""
    out: list[str] = []
    if q.qtype not in QTYPES:  # a parser bug, not user input: say so plainly anyway
        return [_("Loại câu hỏi “%(value)s” không hợp lệ.") % {"value": q.qtype}]
    if not q.stem:
        out.append(_("Câu hỏi không có nội dung."))
    elif len(q.stem) > MAX_STEM_CHARS:
        out.append(_("Nội dung câu hỏi quá dài (tối đa %(max)s ký tự).") % {"max": _n(MAX_STEM_CHARS)})
    if q.qtype in ("single", "multiple", "truefalse", "ordering"):
        out.extend(_choice_problems(q))
    elif q.qtype == "short":
        if not q.answer["accepted"]:
            out.append(_("Câu trả lời ngắn cần ít nhất một đáp án được chấp nhận."))
    elif q.qtype == "numeric":
        value, tolerance = q.answer.get("value"), q.answer.get("tolerance", 0.0)
        if not isinstance(value, float) or not math.isfinite(value):
            out.append(_("Câu hỏi dạng số chưa có đáp án là một số."))
        if not isinstance(tolerance, float) or not math.isfinite(tolerance) or tolerance < 0:
            out.append(_("Sai số cho phép phải là một số không âm."))
    if q.difficulty not in (1, 2, 3):
        out.append(_("Độ khó phải là 1, 2 hoặc 3."))
    if q.language not in LANGUAGES:
        out.append(_("Ngôn ngữ phải là “vi” hoặc “en”."))
    if q.time_limit_s is not None and not (MIN_TIME_LIMIT <= q.time_limit_s <= MAX_TIME_LIMIT):
        out.append(time_limit_message())
    return out
