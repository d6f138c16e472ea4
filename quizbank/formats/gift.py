"""Moodle GIFT import, following Moodle's own reader (question/format/gift/format.php).

Questions are separated by blank lines. Supported: $CATEGORY, ::titles::, [html]/[markdown]
text formats, single and multiple choice with %weights%, true/false, short answer, numeric
({#5:1}, {#1..3}), general feedback (####) as the explanation, escapes \\~ \\= \\# \\{ \\} \\:
\\n and \\\\, // comments and Moodle's "// [tag:...]" tags. Essays, matching and descriptions
are skipped by name. Our own exports add a "// hoithiso: {...}" comment for the fields
GIFT lacks, and write ordering questions (which GIFT cannot express) entirely inside such
a comment, so Moodle ignores them and we read them back.
"""

from __future__ import annotations

import json
import re

from django.utils.translation import gettext as _

from quizbank.formats.base import Collector, ParsedQuestion, choice
from quizbank.formats.common import apply_meta, category_topic
from quizbank.formats.markup import html_to_markdown
from quizbank.formats.textio import decode, parse_number

_ESCAPABLE = {"\\": "\ue000", ":": "\ue001", "#": "\ue002", "=": "\ue003", "{": "\ue004", "}": "\ue005", "~": "\ue006"}
_RESTORE = {v: k for k, v in _ESCAPABLE.items()}
_WEIGHT = re.compile(r"^%(-?\d+(?:[.,]\d*)?)%")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f])+)\]")
_META = re.compile(r"^//\s*hoithiso:\s*(\{.*\})\s*$")


def protect(text: str) -> str:
    """Replace escaped characters by placeholders so they survive splitting; \\n is a newline."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _ESCAPABLE:
                out.append(_ESCAPABLE[nxt])
                i += 2
                continue
            if nxt == "n":
                out.append("\n")
                i += 2
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def restore(text: str) -> str:
    return "".join(_RESTORE.get(ch, ch) for ch in text)


class _Block:
    def __init__(self):
        self.lines: list[tuple[int, str]] = []
        self.comments: list[tuple[int, str]] = []


def _blocks(text: str):
    block = _Block()
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if block.lines or block.comments:
                yield block
            block = _Block()
        elif stripped.startswith("//"):
            block.comments.append((number, stripped))
        else:
            block.lines.append((number, line))
    if block.lines or block.comments:
        yield block


class _Reader:
    def __init__(self, out: Collector):
        self.out = out
        self.category = ""
        self.html = False  # the current question's text format is [html]
        self.lost_images = 0

    def block(self, block: _Block) -> None:
        meta, meta_line = None, 0
        for number, comment in block.comments:
            match = _META.match(comment)
            if match:
                meta_line = number
                try:
                    meta = json.loads(match.group(1))
                except ValueError:
                    meta = None
                if not isinstance(meta, dict):
                    self.out.bad_question(number, _("Chú thích “hoithiso” không phải là JSON hợp lệ."))
                    return
        lines = block.lines
        if lines and lines[0][1].strip().startswith("$CATEGORY:"):
            self.category = category_topic(lines[0][1].strip()[len("$CATEGORY:") :])
            lines = lines[1:]
        if not lines:
            if meta and meta.get("qtype") == "ordering":
                self.ordering(meta_line, meta, block)
            return
        line = lines[0][0]
        text = protect("\n".join(raw for _n, raw in lines).strip())
        self.question(line, text, meta or {}, block)

    def _tags(self, block: _Block) -> list[str]:
        tags = []
        for _n, comment in block.comments:
            tags += [t.replace("\\]", "]").strip() for t in _TAG.findall(comment)]
        return tags

    def _finish(self, q: ParsedQuestion, meta: dict, block: _Block) -> None:
        q.tags = self._tags(block)
        q.topics = [self.category] if self.category else []
        for message in apply_meta(q, meta):
            self.out.error(q.line, message)
        self.out.add(q)

    def ordering(self, line: int, meta: dict, block: _Block) -> None:
        items = meta.get("items")
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            self.out.bad_question(line, _("Thông tin bổ sung “%(key)s” không hợp lệ.") % {"key": "items"})
            return
        q = ParsedQuestion(
            qtype="ordering",
            stem=str(meta.get("stem") or ""),
            choices=[choice(text, True) for text in items],
            explanation=str(meta.get("explanation") or ""),
            line=line,
        )
        self._finish(q, meta, block)

    def question(self, line: int, text: str, meta: dict, block: _Block) -> None:
        title = ""
        if text.startswith("::"):
            end = text.find("::", 2)
            if end >= 0:
                title, text = restore(text[2:end]).strip(), text[end + 2 :].strip()
        start, finish = text.find("{"), text.find("}")
        if start < 0 and finish < 0:
            self.out.skip(line, title or restore(text), "description")
            return
        if start < 0 or finish < start:
            self.out.bad_question(line, _("Thiếu dấu ngoặc nhọn “{” hoặc “}” quanh phần đáp án."))
            return
        answers = text[start + 1 : finish].strip()
        after = text[finish + 1 :].strip()
        # Text after the answers makes a "missing word" question, as in Moodle.
        stem_raw = text[:start] + "_____" + text[finish + 1 :] if after else text[:start]
        html = False
        fmt = re.match(r"^\[(html|moodle|plain|markdown)\]", stem_raw)
        if fmt:
            html = fmt.group(1) == "html"
            stem_raw = stem_raw[fmt.end() :]
        explanation = ""
        if "####" in answers:
            cut = answers.rfind("####")
            answers, explanation = answers[:cut].strip(), answers[cut + 4 :]
        self.html = html
        self.lost_images = 0
        name = title or restore(stem_raw)
        q = ParsedQuestion(qtype="single", stem=self.text(stem_raw), explanation=self.text(explanation), line=line)
        if not answers:
            self.out.skip(line, name, "essay")
            return
        if answers.startswith("#"):
            ok = self.numeric(q, answers[1:])
        elif "~" in answers:
            ok = self.multichoice(q, answers)
        elif "=" in answers and "->" in answers:
            self.out.skip(line, name, "matching")
            return
        elif answers.split("#", 1)[0].strip().upper() in ("T", "TRUE", "F", "FALSE"):
            q.qtype = "truefalse"
            is_true = answers.split("#", 1)[0].strip().upper() in ("T", "TRUE")
            q.choices = [choice("", is_true), choice("", not is_true)]
            ok = True
        else:
            ok = self.short(q, answers)
        if self.lost_images:
            self.out.warn(line, _("Hình ảnh nhúng trong tệp không được nhập; hãy thêm lại hình sau khi nhập."))
        if ok:
            self._finish(q, meta, block)

    def text(self, raw: str) -> str:
        raw = raw.strip()
        if not self.html:
            return restore(raw)
        markdown, lost = html_to_markdown(restore(raw))
        self.lost_images += lost
        return markdown

    def _answer(self, raw: str) -> tuple[float | None, str]:
        """(weight or None, text without weight and feedback) of one answer."""
        raw = raw.strip()
        weight = None
        match = _WEIGHT.match(raw)
        if match:
            weight = parse_number(match.group(1))
            weight = weight / 100 if weight is not None else None
            raw = raw[match.end() :]
        return weight, raw.split("#", 1)[0].strip()

    def multichoice(self, q: ParsedQuestion, answers: str) -> bool:
        q.qtype = "single" if "=" in answers else "multiple"
        q.partial_credit = q.qtype == "multiple"  # Moodle scores multi-answer questions by weights
        parts = answers.replace("=", "~=").split("~")
        if not parts[0].strip():
            parts.pop(0)
        for part in parts:
            correct = part.startswith("=")
            weight, text = self._answer(part[1:] if correct else part)
            if weight is not None and not -1.0 <= weight <= 1.0:
                self.out.bad_question(
                    q.line, _("Trọng số trong “%(value)s” không hợp lệ.") % {"value": restore(part).strip()}
                )
                return False
            if correct and weight is None:
                weight = 1.0
            if q.qtype == "multiple":
                correct = (weight or 0) > 0
            q.choices.append(choice(self.text(text), correct, weight if weight is not None else 0.0))
        return True

    def short(self, q: ParsedQuestion, answers: str) -> bool:
        q.qtype = "short"
        accepted, dropped = [], False
        for part in answers.split("="):
            if not part.strip():
                continue
            weight, text = self._answer(part)
            if weight is None or abs(weight - 1.0) < 1e-9:
                accepted.append(restore(text))
            else:
                dropped = True
        if dropped:
            self.out.warn(q.line, _("Đáp án được một phần điểm không được nhập; chỉ giữ các đáp án đúng hoàn toàn."))
        q.answer = {"accepted": accepted, "ignore_accents": False}
        return True

    def numeric(self, q: ParsedQuestion, answers: str) -> bool:
        """Every numeric form of Moodle's GIFT: ``{#3}``, ``{#3:2}``, ``{#1..5}``, several answers
        ``{#=3:0 =%50%3:2 ~#Sai}`` with weights and ``#feedback``, and ``~`` wrong answers (their
        feedback, or an empty ``~`` for "anything else"). The full-credit answers make the key
        (one value and tolerance; overlapping ones are joined); partial ones are dropped with a
        warning, as for short answers; feedback is not kept."""
        q.qtype = "numeric"
        full: list[tuple[float, float]] = []  # (value, tolerance)
        dropped = False
        for marker, part in _numeric_answers(answers):
            weight, text = self._answer(part)
            if marker == "~" and weight is None:
                weight = 0.0
            if not text:
                continue  # a "~#feedback" for every other answer
            key = _numeric_key(restore(text))
            if key is None:
                self.out.bad_question(q.line, _("Đáp án số “%(value)s” không hợp lệ.") % {"value": restore(text)})
                return False
            if weight is None or abs(weight - 1.0) < 1e-9:
                full.append(key)
            else:
                dropped = True
        joined = _join(full)
        if joined is None:
            self.out.bad_question(
                q.line, _("Câu hỏi dạng số phải có đúng một đáp án được trọn điểm (kèm sai số nếu cần).")
            )
            return False
        if dropped:
            self.out.warn(q.line, _("Đáp án được một phần điểm không được nhập; chỉ giữ các đáp án đúng hoàn toàn."))
        q.answer = {"value": joined[0], "tolerance": joined[1]}
        return True


def _numeric_answers(answers: str) -> list[tuple[str, str]]:
    """(marker, text) of each answer of a numeric question: ``=`` full or weighted, ``~`` wrong.
    Text before the first marker is the short form's only answer (``{#3:2}``)."""
    out = []
    for match in re.finditer(r"([=~]?)([^=~]*)", answers):
        marker, text = match.group(1), match.group(2)
        if not marker and not text.strip():
            continue
        out.append((marker or "=", text))
    return out


def _numeric_key(value: str) -> tuple[float, float] | None:
    """(value, tolerance) of ``value``, ``value:tolerance`` or ``min..max``; None if not numbers."""
    if ".." in value:
        low, high = (parse_number(v) for v in value.split("..", 1))
        if low is None or high is None or low > high:
            return None
        return (low + high) / 2, (high - low) / 2
    number, _colon, tolerance = value.partition(":")
    number = parse_number(number)
    tolerance = parse_number(tolerance) if tolerance.strip() else 0.0
    if number is None or tolerance is None:
        return None
    return number, abs(tolerance)


def _join(keys: list[tuple[float, float]]) -> tuple[float, float] | None:
    """The one (value, tolerance) that the full-credit answers cover together: the widest when it
    holds the others, else their union if they overlap; None if there is none or they are apart."""
    if not keys:
        return None
    intervals = sorted((v - t, v + t) for v, t in keys)
    low, high = intervals[0]
    for a, b in intervals[1:]:
        if a > high + 1e-9:
            return None
        high = max(high, b)
    for v, t in keys:
        if v - t <= low + 1e-9 and v + t >= high - 1e-9:
            return v, t  # as written, without rounding noise
    return round((low + high) / 2, 9), round((high - low) / 2, 9)


def parse(data: bytes, out: Collector) -> None:
    reader = _Reader(out)
    for block in _blocks(decode(data)):
        reader.block(block)
