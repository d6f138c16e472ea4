"""Our own XLSX/CSV template: one question per row, Vietnamese headers.

Headers are matched whatever their case, spacing and accents ("DAP AN DUNG" is
"Đáp án đúng"), with a few common synonyms; unknown columns (e.g. "STT") are ignored. The
columns are listed in ``COLUMNS`` and documented in docs/import-formats.md.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from core.text import normalise_header, search_key
from quizbank.formats.base import Collector, ParsedQuestion, choice
from quizbank.formats.checks import time_limit_message
from quizbank.formats.tables import Row, find_header, formula_error, read_csv, read_xlsx, text
from quizbank.formats.textio import (
    parse_difficulty,
    parse_language,
    parse_number,
    parse_seconds,
    parse_yes_no,
)

# key, the header we write, other accepted spellings (as header_key() gives them)
COLUMNS = [
    ("stem", "Câu hỏi", ("cau hoi", "noi dung", "noi dung cau hoi", "question")),
    ("qtype", "Loại", ("loai", "loai cau hoi", "kieu", "type")),
    ("answer", "Đáp án đúng", ("dap an dung", "dap an", "correct answer", "correct")),
    ("difficulty", "Độ khó", ("do kho", "muc do", "difficulty")),
    ("topics", "Chủ đề", ("chu de", "topic", "topics")),
    ("explanation", "Giải thích", ("giai thich", "loi giai", "explanation")),
    ("source", "Nguồn", ("nguon", "can cu", "source")),
    ("tags", "Thẻ", ("the", "tu khoa", "tags")),
    ("time", "Thời gian (giây)", ("thoi gian", "time", "time limit")),
    ("language", "Ngôn ngữ", ("ngon ngu", "language")),
    ("partial", "Tính điểm từng phần", ("tinh diem tung phan", "partial credit")),
    ("weights", "Trọng số (%)", ("trong so", "weights")),
    ("tolerance", "Sai số", ("sai so", "sai so cho phep", "tolerance")),
    ("accents", "Chấp nhận không dấu", ("chap nhan khong dau", "ignore accents")),
]
HEADERS = {key: header for key, header, _aliases in COLUMNS}
_ALIASES = {alias: key for key, _header, aliases in COLUMNS for alias in aliases}
_CHOICE = re.compile(r"^(?:dap an|phuong an|lua chon|option|answer) ([a-z]|[1-9]\d?)$")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

TYPE_LABELS = {
    "single": "Một đáp án",
    "multiple": "Nhiều đáp án",
    "truefalse": "Đúng/Sai",
    "short": "Trả lời ngắn",
    "numeric": "Số",
    "ordering": "Sắp xếp",
}
_TYPE_WORDS = {
    "single": ("mot dap an", "1 dap an", "chon mot", "chon 1", "mot lua chon", "trac nghiem", "multiple choice"),
    "multiple": ("nhieu dap an", "chon nhieu", "nhieu lua chon", "multiple answer", "checkbox"),
    "truefalse": ("dung/sai", "dung sai", "d/s", "true/false", "true false"),
    "short": ("tra loi ngan", "dien tu", "dien khuyet", "short answer"),
    "numeric": ("so", "dien so", "tra loi so", "number", "numerical"),
    "ordering": ("sap xep", "sap xep thu tu", "thu tu", "order"),
}
TYPES = {word: qtype for qtype, words in _TYPE_WORDS.items() for word in (qtype, *words)}
_TRUE = {"dung", "d", "true", "t", "yes", "co", "1"}
_FALSE = {"sai", "s", "false", "f", "no", "khong", "0"}
_TRUTH_WORDS = {"dung", "sai", "true", "false"}  # enough to guess the type when "Loại" is empty


def column_map(keys: list[str]) -> dict:
    """{field key: column index} and {"choices": [(letter, column index)]} for a header row."""
    found: dict = {"choices": []}
    for index, key in enumerate(keys):
        letter = _CHOICE.match(key)
        if letter and letter.group(1).isdigit() and int(letter.group(1)) <= len(LETTERS):
            found["choices"].append((LETTERS[int(letter.group(1)) - 1], index))  # "Phương án 1" is A
        elif letter and letter.group(1).isalpha():
            found["choices"].append((letter.group(1).upper(), index))
        elif key in _ALIASES and _ALIASES[key] not in found:
            found[_ALIASES[key]] = index
    found["choices"].sort()
    return found


def _is_header(keys: list[str]) -> bool:
    columns = column_map(keys)
    return "stem" in columns and (columns["choices"] or "answer" in columns)


def parse_letters(value, count: int) -> list[int] | None:
    """Choice indexes from "B", "A, C", "A;C", "AC" or 1-based numbers ("1,3"); None if invalid."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [int(value) - 1] if float(value).is_integer() and 1 <= value <= count else None
    tokens = [t for t in re.split(r"[,;/\s]+|\bva\b|\band\b", normalise_header(value)) if t]
    if len(tokens) == 1 and tokens[0].isalpha() and len(tokens[0]) > 1:
        tokens = list(tokens[0])
    indexes = []
    for token in tokens:
        if len(token) == 1 and token.isalpha():
            index = ord(token.upper()) - ord("A")
        elif token.isdigit():
            index = int(token) - 1
        else:
            return None
        if not 0 <= index < count or index in indexes:
            return None
        indexes.append(index)
    return indexes or None


def parse_truth(value) -> bool | None:
    if isinstance(value, bool):
        return value
    key = normalise_header(value)
    return True if key in _TRUE else False if key in _FALSE else None


class _RowReader:
    def __init__(self, row: Row, columns: dict):
        self.row, self.columns = row, columns
        self.errors: list[str] = []
        self.formulas: set[str] = set()  # columns whose cell held a formula (already reported)

    def cell(self, key: str):
        cell = self.row.cell(self.columns.get(key))
        if cell is not None and cell.formula:
            self.error(formula_error(cell))
            self.formulas.add(key)
            return None
        return cell

    def error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)

    def text(self, key: str) -> str:
        return text(self.cell(key))

    def raw(self, key: str):
        cell = self.cell(key)
        return cell.value if cell is not None else None

    def wrong(self, key: str, value) -> None:
        self.error(_("Giá trị “%(value)s” ở cột “%(column)s” không hợp lệ.") % {"value": value, "column": HEADERS[key]})


def _choices(reader: _RowReader) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """Non-empty choices as (letter, text), and where each letter's choice now sits."""
    listed, where = [], {}
    for letter, column in reader.columns["choices"]:
        cell = reader.row.cell(column)
        if cell is not None and cell.formula:
            reader.error(formula_error(cell))
        value = text(cell)
        if value:
            where[letter] = len(listed)
            listed.append((letter, value))
    return listed, where


def _correct(reader: _RowReader, listed, where) -> list[int] | None:
    """Indexes (into the non-empty choices) named in "Đáp án đúng"."""
    raw = reader.raw("answer")
    value = text(reader.cell("answer")) if raw is not None else ""
    if not value:
        if "answer" not in reader.formulas:
            reader.error(_("Thiếu đáp án đúng."))
        return None
    letters = parse_letters(raw if not isinstance(raw, str) else value, len(LETTERS))
    if letters is None:
        # Some sheets repeat the right choice's text instead of its letter.
        same = [i for i, (_letter, choice_text) in enumerate(listed) if search_key(choice_text) == search_key(value)]
        if len(same) == 1:
            return same
    if letters is None or any(LETTERS[i] not in where for i in letters):
        reader.error(_("Đáp án đúng “%(value)s” không khớp với lựa chọn nào.") % {"value": value})
        return None
    return [where[LETTERS[i]] for i in letters]


def build(row: Row, columns: dict) -> tuple[ParsedQuestion | None, list[str]]:
    reader = _RowReader(row, columns)
    listed, where = _choices(reader)
    q = ParsedQuestion(qtype="single", stem=reader.text("stem"), line=row.number)
    type_text = reader.text("qtype")
    answer_raw = reader.raw("answer")
    if type_text:
        qtype = TYPES.get(normalise_header(type_text))
        if qtype is None:
            reader.error(_("Loại câu hỏi “%(value)s” không hợp lệ.") % {"value": type_text})
            return None, reader.errors
    elif listed:
        letters = parse_letters(answer_raw, len(LETTERS)) if answer_raw not in (None, "") else None
        qtype = "multiple" if letters and len(letters) > 1 else "single"
    elif isinstance(answer_raw, bool) or normalise_header(answer_raw) in _TRUTH_WORDS:
        qtype = "truefalse"
    else:
        qtype = "numeric" if parse_number(answer_raw) is not None else "short"
    q.qtype = qtype
    _fill_answer(q, reader, listed, where)
    _fill_common(q, reader)
    return (None if reader.errors else q), reader.errors


def _fill_answer(q: ParsedQuestion, reader: _RowReader, listed, where) -> None:
    if q.qtype in ("single", "multiple"):
        correct = _correct(reader, listed, where) or []
        q.choices = [choice(value, i in correct) for i, (_letter, value) in enumerate(listed)]
        if q.qtype == "multiple":
            # Weights only matter with partial credit: filling them in asks for it.
            partial = parse_yes_no(reader.raw("partial")) if reader.text("partial") else bool(reader.text("weights"))
            if partial is None:
                reader.wrong("partial", reader.text("partial"))
            q.partial_credit = bool(partial)
        _weights(q, reader)
    elif q.qtype == "truefalse":
        truth = parse_truth(reader.raw("answer"))
        if truth is None:
            reader.error(_("Câu Đúng/Sai: đáp án đúng phải là “Đúng” hoặc “Sai”."))
        q.choices = [choice("", truth is True), choice("", truth is False)]
    elif q.qtype == "short":
        accepted = [a.strip() for a in reader.text("answer").split("|") if a.strip()]
        ignore = parse_yes_no(reader.raw("accents"))
        if ignore is None:
            reader.wrong("accents", reader.text("accents"))
        q.answer = {"accepted": accepted, "ignore_accents": bool(ignore)}
    elif q.qtype == "numeric":
        value = parse_number(reader.raw("answer"))
        tolerance = parse_number(reader.raw("tolerance")) if reader.text("tolerance") else 0.0
        if value is None:
            reader.error(_("Đáp án số “%(value)s” không hợp lệ.") % {"value": reader.text("answer")})
        if tolerance is None:
            reader.wrong("tolerance", reader.text("tolerance"))
        q.answer = {"value": value, "tolerance": abs(tolerance or 0.0)}
    elif q.qtype == "ordering":
        order = list(range(len(listed)))
        if reader.text("answer"):
            order = _correct(reader, listed, where) or order
            if sorted(order) != list(range(len(listed))):
                reader.error(_("Thứ tự đúng phải nêu mỗi lựa chọn đúng một lần, ví dụ “C, A, B, D”."))
        q.choices = [choice(listed[i][1], True) for i in order if i < len(listed)]


def _weights(q: ParsedQuestion, reader: _RowReader) -> None:
    raw = reader.text("weights")
    if not raw:
        return
    weights = [parse_number(w) for w in raw.split(";")]
    if len(weights) != len(q.choices) or any(w is None or not -100 <= w <= 100 for w in weights):
        reader.error(
            _("Cột “%(column)s” cần %(count)s số phần trăm, mỗi lựa chọn một số, cách nhau bằng dấu “;”.")
            % {"column": HEADERS["weights"], "count": len(q.choices)}
        )
        return
    for c, weight in zip(q.choices, weights, strict=True):
        c["weight"] = weight / 100
        c["correct"] = weight > 0 if q.qtype == "multiple" else c["correct"]


def _fill_common(q: ParsedQuestion, reader: _RowReader) -> None:
    if reader.text("difficulty"):
        q.difficulty = parse_difficulty(reader.raw("difficulty")) or 0
        if not q.difficulty:
            reader.error(
                _("Độ khó “%(value)s” không hợp lệ; hãy ghi 1, 2, 3 hoặc Dễ, Trung bình, Khó.")
                % {"value": reader.text("difficulty")}
            )
    if reader.text("language"):
        q.language = parse_language(reader.text("language")) or ""
        if not q.language:
            reader.error(
                _("Ngôn ngữ “%(value)s” không hợp lệ; hãy ghi vi hoặc en.") % {"value": reader.text("language")}
            )
    if reader.text("time"):
        q.time_limit_s = parse_seconds(reader.raw("time"))
        if q.time_limit_s is None:
            reader.error(time_limit_message())
    q.topics = [t for t in re.split(r"[;\n]", reader.text("topics")) if t.strip()]
    q.tags = [t.strip() for t in re.split(r"[,;\n]", reader.text("tags")) if t.strip()]
    q.explanation = reader.text("explanation")
    q.source = reader.text("source")


def parse_tables(tables, out: Collector) -> None:
    found = find_header(tables, _is_header)
    if found is None:
        out.error(
            0,
            _("Không tìm thấy dòng tiêu đề có cột “Câu hỏi” và các cột “Đáp án”; hãy dùng tệp mẫu của Hội thi Số."),
        )
        return
    table, index, keys = found
    columns = column_map(keys)
    for row in table.rows[index + 1 :]:
        q, errors = build(row, columns)
        if errors:
            out.bad_question(row.number, errors[0])
            for message in errors[1:]:
                out.error(row.number, message)
        else:
            out.add(q)


def parse_xlsx(data: bytes, out: Collector) -> None:
    parse_tables(read_xlsx(data), out)


def parse_csv(data: bytes, out: Collector) -> None:
    parse_tables(read_csv(data), out)
