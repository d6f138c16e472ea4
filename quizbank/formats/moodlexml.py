"""Moodle XML import (question/format/xml), parsed with defusedxml.

Categories (``<question type="category">``, nested paths like "$course$/top/A/B") become
topics of the questions that follow. Supported types: multichoice (single or multiple, with
fractions), multichoiceset (all-or-nothing), truefalse, shortanswer, numerical (one answer
with a tolerance) and ordering (the qtype_ordering plugin). Every other type (essay,
multianswer/cloze, ddwtos, gapselect, match, calculated, description...) is skipped by name.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from quizbank.formats.base import Collector, ParsedQuestion, choice
from quizbank.formats.common import apply_meta, category_topic
from quizbank.formats.markup import html_to_markdown
from quizbank.formats.safety import FileRejected, XmlDocument, local, parse_xml
from quizbank.formats.textio import parse_number, parse_seconds

SUPPORTED = {"multichoice", "multichoiceset", "truefalse", "shortanswer", "numerical", "ordering"}


def _text(el: Element | None, path: str = "text") -> str:
    found = el.find(path) if el is not None else None
    return (found.text or "") if found is not None else ""


class _Reader:
    def __init__(self, doc: XmlDocument, out: Collector):
        self.doc, self.out = doc, out
        self.category = ""
        self.lost_images = 0

    def rich(self, el: Element | None) -> str:
        """Markdown of a Moodle text field (<questiontext format="html"><text>...</text>)."""
        if el is None:
            return ""
        raw = _text(el)
        if el.get("format", "html") != "html":
            return raw
        markdown, lost = html_to_markdown(raw)
        self.lost_images += lost
        return markdown

    def question(self, el: Element) -> None:
        qtype, line = el.get("type", ""), self.doc.line(el)
        if qtype == "category":
            self.category = category_topic(_text(el, "category/text"))
            return
        name = _text(el, "name/text") or _text(el, "questiontext/text")
        if qtype not in SUPPORTED:
            self.out.skip(line, name, qtype or "?")
            return
        self.lost_images = 0
        q = ParsedQuestion(
            qtype="single",
            stem=self.rich(el.find("questiontext")),
            explanation=self.rich(el.find("generalfeedback")),
            topics=[self.category] if self.category else [],
            tags=[t.text or "" for t in el.findall("tags/tag/text")],
            line=line,
        )
        answers = [(self._fraction(a), a) for a in el.findall("answer")]
        if any(f is None for f, _a in answers):
            self.out.bad_question(line, _("Điểm (fraction) của một đáp án không hợp lệ."))
            return
        ok = getattr(self, qtype)(q, el, answers)
        if self.lost_images:
            self.out.warn(line, _("Hình ảnh nhúng trong tệp không được nhập; hãy thêm lại hình sau khi nhập."))
        if not ok:
            return
        for message in apply_meta(q, self._meta(el.find("hoithiso"))):
            self.out.error(line, message)
        self.out.add(q)

    @staticmethod
    def _fraction(answer: Element) -> float | None:
        value = parse_number(answer.get("fraction", "0"))
        return None if value is None else value / 100

    @staticmethod
    def _meta(el: Element | None) -> dict:
        """Our <hoithiso> record: simple children, plus repeated <topic> and <tag>."""
        if el is None:
            return {}
        meta: dict = {}
        for child in el:
            value = child.text or ""
            if child.tag in ("topic", "tag"):
                meta.setdefault(child.tag + "s", []).append(value)
            elif child.tag in ("partial_credit", "ignore_accents"):
                meta[child.tag] = {"true": True, "false": False}.get(value.strip(), value)
            elif child.tag == "time_limit_s":
                meta[child.tag] = parse_seconds(value) if value.strip() else value
            else:
                meta[child.tag] = value
        return meta

    def multichoice(self, q: ParsedQuestion, el: Element, answers) -> bool:
        single = _text(el, "single").strip().lower() not in ("false", "0")
        q.qtype = "single" if single else "multiple"
        q.partial_credit = not single
        for fraction, a in answers:
            q.choices.append(choice(self.rich(a), fraction > 0 if not single else fraction >= 1, fraction))
        return True

    def multichoiceset(self, q: ParsedQuestion, el: Element, answers) -> bool:
        q.qtype, q.partial_credit = "multiple", False
        q.choices = [choice(self.rich(a), fraction > 0) for fraction, a in answers]
        return True

    def truefalse(self, q: ParsedQuestion, el: Element, answers) -> bool:
        q.qtype = "truefalse"
        true_right = any(_text(a).strip().lower() == "true" and f >= 1 for f, a in answers)
        false_right = any(_text(a).strip().lower() == "false" and f >= 1 for f, a in answers)
        if true_right == false_right:
            self.out.bad_question(q.line, _("Câu Đúng/Sai cần đúng một đáp án đúng."))
            return False
        q.choices = [choice("", true_right), choice("", false_right)]
        return True

    def shortanswer(self, q: ParsedQuestion, el: Element, answers) -> bool:
        q.qtype = "short"
        accepted = [_text(a) for f, a in answers if f >= 1]
        if len(accepted) < len([f for f, _a in answers if f > 0]):
            self.out.warn(q.line, _("Đáp án được một phần điểm không được nhập; chỉ giữ các đáp án đúng hoàn toàn."))
        q.answer = {"accepted": accepted, "ignore_accents": False}
        return True

    def numerical(self, q: ParsedQuestion, el: Element, answers) -> bool:
        q.qtype = "numeric"
        full = [a for f, a in answers if f >= 1]
        if len(full) != 1:
            self.out.bad_question(
                q.line, _("Câu hỏi dạng số phải có đúng một đáp án được trọn điểm (kèm sai số nếu cần).")
            )
            return False
        raw = _text(full[0])
        value, tolerance = parse_number(raw), parse_number(_text(full[0], "tolerance") or "0")
        if value is None or tolerance is None:
            self.out.bad_question(q.line, _("Đáp án số “%(value)s” không hợp lệ.") % {"value": raw})
            return False
        q.answer = {"value": value, "tolerance": abs(tolerance)}
        return True

    def ordering(self, q: ParsedQuestion, el: Element, answers) -> bool:
        q.qtype = "ordering"
        # qtype_ordering stores each item's position in its fraction; fall back to file order.
        positions = [f for f, _a in answers]
        if len(set(positions)) == len(positions):
            answers = sorted(answers, key=lambda pair: pair[0])
        q.choices = [choice(self.rich(a), True) for _f, a in answers]
        return True


def parse(data: bytes, out: Collector) -> None:
    doc = parse_xml(data)
    if doc.root.tag != "quiz":  # Moodle XML has no namespace
        raise FileRejected(
            _("Tệp XML không phải Moodle XML: thẻ gốc phải là <quiz>, không phải <%(tag)s>.")
            % {"tag": local(doc.root.tag)}
        )
    reader = _Reader(doc, out)
    for el in doc.root.iter("question"):
        reader.question(el)
