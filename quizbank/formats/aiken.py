"""Aiken: single-choice questions in plain text, as Moodle reads them.

    Mã OTP dùng để làm gì?
    A. Xác thực giao dịch
    B) Trang trí tin nhắn
    ANSWER: A

The stem may span several lines; options are "A." or "A)" followed by a space; the
"ANSWER:" line ends a question (the Vietnamese "ĐÁP ÁN:" is accepted too). Blank lines are
ignored.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from quizbank.formats.base import Collector, ParsedQuestion, choice
from quizbank.formats.textio import decode

OPTION = re.compile(r"^([A-Z])[.)][ \t]+(.*)$")
ANSWER = re.compile(r"^(?:ANSWER|ĐÁP ÁN)\s*:\s*(.*)$", re.IGNORECASE)


class _Pending:
    def __init__(self, line: int):
        self.line = line
        self.stem: list[str] = []
        self.options: list[tuple[str, str]] = []


def parse(data: bytes, out: Collector) -> None:
    pending: _Pending | None = None
    for number, raw in enumerate(decode(data).split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        option, answer = OPTION.match(line), ANSWER.match(line)
        if answer:
            if pending is None or not pending.options:
                out.bad_question(number, _("Dòng “ANSWER:” không đi sau câu hỏi và các lựa chọn nào."))
            else:
                _finish(pending, answer.group(1).strip(), out)
            pending = None
        elif option and pending is not None and pending.stem:
            pending.options.append((option.group(1), option.group(2)))
        else:
            if pending is not None and pending.options:
                out.bad_question(pending.line, _("Thiếu dòng “ANSWER:” cho câu hỏi."))
                pending = None
            if pending is None:
                pending = _Pending(number)
            pending.stem.append(line)
    if pending is not None:
        out.bad_question(pending.line, _("Thiếu dòng “ANSWER:” cho câu hỏi."))


def _finish(pending: _Pending, letter: str, out: Collector) -> None:
    letters = [label for label, _text in pending.options]
    if letter.upper() not in letters:
        out.bad_question(pending.line, _("Đáp án đúng “%(value)s” không khớp với lựa chọn nào.") % {"value": letter})
        return
    out.add(
        ParsedQuestion(
            qtype="single",
            stem="\n".join(pending.stem),
            choices=[choice(text, label == letter.upper()) for label, text in pending.options],
            line=pending.line,
        )
    )
