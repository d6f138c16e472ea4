"""The Kahoot! quiz spreadsheet: seven rows of instructions, the header on row 8
("Question - max 120 characters", "Answer 1 - max 75 characters" ... "Answer 4",
"Time limit (sec)", "Correct answer(s) - choose at least one"), then one question per row,
numbered in column A.

A Kahoot! quiz question lets a player pick one answer; when several are marked correct
("1,3"), any of them scores. So it becomes a single-choice question with several correct
choices, not a multiple-choice one. Two answers reading True/False (or Đúng/Sai) make a
true/false question.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from core.text import normalise_header
from quizbank.formats.base import Collector, ParsedQuestion, choice
from quizbank.formats.checks import time_limit_message
from quizbank.formats.tables import Row, find_header, formula_error, read_table, text
from quizbank.formats.template import parse_letters
from quizbank.formats.textio import parse_seconds

_ANSWER = re.compile(r"^answer (\d+)\b")
_TRUTHS = {"true": True, "dung": True, "false": False, "sai": False}


def columns_of(keys: list[str]) -> dict | None:
    columns: dict = {"answers": []}
    for index, key in enumerate(keys):
        answer = _ANSWER.match(key)
        if answer:
            columns["answers"].append((int(answer.group(1)), index))
        elif key.startswith("question") and "question" not in columns:
            columns["question"] = index
        elif key.startswith("time limit"):
            columns["time"] = index
        elif key.startswith("correct answer"):
            columns["correct"] = index
        elif key.startswith("image link"):
            columns["image"] = index
    columns["answers"].sort()
    if "question" in columns and "correct" in columns and columns["answers"]:
        return columns
    return None


def is_header(keys: list[str]) -> bool:
    return columns_of(keys) is not None


def image_markdown(url: str) -> str:
    url = url.strip()
    return f"\n\n![]({url.replace(' ', '%20')})" if url.startswith(("http://", "https://")) else ""


def build(row: Row, columns: dict) -> tuple[ParsedQuestion | None, list[str]]:
    errors: list[str] = []

    def value(column):
        cell = row.cell(column)
        if cell is not None and cell.formula:
            errors.append(formula_error(cell))
        return text(cell)

    stem = value(columns["question"])
    answers = [(number, value(column)) for number, column in columns["answers"]]
    present = [(number, answer) for number, answer in answers if answer]
    correct_cell = row.cell(columns["correct"])
    correct_text = value(columns["correct"])
    numbers = parse_letters(correct_cell.value if correct_cell is not None else None, 99) if correct_text else None
    listed = [number for number, _a in present]
    if not correct_text:
        errors.append(_("Thiếu đáp án đúng."))
    elif numbers is None or any(n + 1 not in listed for n in numbers):
        errors.append(_("Đáp án đúng “%(value)s” không khớp với lựa chọn nào.") % {"value": correct_text})
    time_text = value(columns.get("time"))
    seconds = parse_seconds(row.cell(columns["time"]).value) if time_text else None
    if time_text and seconds is None:
        errors.append(time_limit_message())
    if errors:
        return None, errors
    right = {n + 1 for n in numbers}
    q = ParsedQuestion(
        qtype="single",
        stem=stem + image_markdown(value(columns.get("image"))),
        choices=[choice(answer, number in right) for number, answer in present],
        time_limit_s=seconds,
        line=row.number,
    )
    truths = [_TRUTHS.get(normalise_header(answer)) for _n, answer in present]
    if len(present) == 2 and len(right) == 1 and truths in ([True, False], [False, True]):
        q.qtype = "truefalse"
        true_right = (truths[0] and present[0][0] in right) or (truths[1] and present[1][0] in right)
        q.choices = [choice("", true_right), choice("", not true_right)]
    return q, []


def _has_content(row: Row, columns: dict) -> bool:
    used = [columns["question"], columns["correct"], *(c for _n, c in columns["answers"])]
    return any(text(row.cell(c)) or (row.cell(c) is not None and row.cell(c).formula) for c in used)


def parse(data: bytes, out: Collector) -> None:
    found = find_header(read_table(data), is_header)
    if found is None:
        out.error(0, _("Không tìm thấy dòng tiêu đề của mẫu Kahoot! (Question, Answer 1-4, Correct answer(s))."))
        return
    table, index, keys = found
    columns = columns_of(keys)
    for row in table.rows[index + 1 :]:
        if not _has_content(row, columns):
            continue  # the template numbers 100 empty rows in column A
        q, errors = build(row, columns)
        if errors:
            out.bad_question(row.number, errors[0])
            for message in errors[1:]:
                out.error(row.number, message)
        else:
            out.add(q)
