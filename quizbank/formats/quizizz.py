"""The Quizizz (Wayground) spreadsheet, as CSV or XLSX: "Question Text", "Question Type",
"Option 1".."Option 5", "Correct Answer", "Time in seconds", "Image Link",
"Answer explanation".

Question types: "Multiple Choice" (one correct option, by number), "Checkbox" (several:
"1,3"; all-or-nothing), "Fill-in-the-Blank" (the options are the accepted answers).
"Open-Ended", "Poll" and "Draw" have no right answer and are skipped by name. Quizizz's
sample sheet has a row of instructions under the header; it is recognised and ignored.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from core.text import normalise_header
from quizbank.formats.base import Collector, ParsedQuestion, choice
from quizbank.formats.checks import time_limit_message
from quizbank.formats.kahoot import image_markdown
from quizbank.formats.tables import Row, find_header, formula_error, read_table, text
from quizbank.formats.template import parse_letters
from quizbank.formats.textio import parse_seconds

_OPTION = re.compile(r"^option (\d+)$")
_FIELDS = {
    "question text": "question",
    "question type": "type",
    "correct answer": "correct",
    "time in seconds": "time",
    "image link": "image",
    "answer explanation": "explanation",
}
_TYPES = {
    "multiple choice": "single",
    "mcq": "single",
    "checkbox": "multiple",
    "msq": "multiple",
    "fill in the blank": "short",
    "fill in the blanks": "short",
    "fill-in-the-blank": "short",
    "blank": "short",
}


def columns_of(keys: list[str]) -> dict | None:
    columns: dict = {"options": []}
    for index, key in enumerate(keys):
        option = _OPTION.match(key)
        if option:
            columns["options"].append((int(option.group(1)), index))
        elif key in _FIELDS and _FIELDS[key] not in columns:
            columns[_FIELDS[key]] = index
    columns["options"].sort()
    return columns if "question" in columns and columns["options"] else None


def is_header(keys: list[str]) -> bool:
    return columns_of(keys) is not None


def _is_instructions(row: Row, columns: dict) -> bool:
    return normalise_header(text(row.cell(columns["question"]))).startswith("text of the question")


def build(row: Row, columns: dict, out: Collector) -> tuple[ParsedQuestion | None, list[str]]:
    errors: list[str] = []

    def value(key_or_column):
        column = columns.get(key_or_column) if isinstance(key_or_column, str) else key_or_column
        cell = row.cell(column)
        if cell is not None and cell.formula:
            errors.append(formula_error(cell))
        return text(cell)

    stem = value("question")
    type_text = value("type") or "Multiple Choice"
    qtype = _TYPES.get(normalise_header(type_text).replace("-", " ")) or _TYPES.get(normalise_header(type_text))
    if qtype is None:
        out.skip(row.number, stem, type_text)
        return None, []
    options = [(number, value(column)) for number, column in columns["options"]]
    present = [(number, option) for number, option in options if option]
    q = ParsedQuestion(
        qtype=qtype,
        stem=stem + image_markdown(value("image")),
        explanation=value("explanation"),
        line=row.number,
    )
    time_text = value("time")
    if time_text:
        q.time_limit_s = parse_seconds(row.cell(columns["time"]).value)
        if q.time_limit_s is None:
            errors.append(time_limit_message())
    if qtype == "short":
        q.answer = {"accepted": [option for _n, option in present], "ignore_accents": False}
        return (None, errors) if errors else (q, [])
    correct_text = value("correct")
    cell = row.cell(columns.get("correct"))
    numbers = parse_letters(cell.value, 99) if correct_text else None
    listed = [number for number, _o in present]
    if not correct_text:
        errors.append(_("Thiếu đáp án đúng."))
    elif numbers is None or any(n + 1 not in listed for n in numbers):
        errors.append(_("Đáp án đúng “%(value)s” không khớp với lựa chọn nào.") % {"value": correct_text})
    if errors:
        return None, errors
    right = {n + 1 for n in numbers}
    q.choices = [choice(option, number in right) for number, option in present]
    return q, []


def parse(data: bytes, out: Collector) -> None:
    found = find_header(read_table(data), is_header)
    if found is None:
        out.error(0, _("Không tìm thấy dòng tiêu đề của mẫu Quizizz (Question Text, Option 1-5, Correct Answer)."))
        return
    table, index, keys = found
    columns = columns_of(keys)
    for row in table.rows[index + 1 :]:
        if _is_instructions(row, columns):
            continue
        q, errors = build(row, columns, out)
        if errors:
            out.bad_question(row.number, errors[0])
            for message in errors[1:]:
                out.error(row.number, message)
        elif q is not None:
            out.add(q)
