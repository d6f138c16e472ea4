"""Moodle XML export. Texts are written with format="markdown", which Moodle renders, so our
Markdown comes back unchanged. All-or-nothing multiple choice uses the multichoiceset type
and ordering the qtype_ordering plugin; fields Moodle lacks go in a <hoithiso> element that
Moodle's importer ignores.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, indent, tostring

from quizbank.formats.base import CONTROL_CHARS, ParsedQuestion
from quizbank.formats.common import META_KEYS, meta_of, stem_title, topic_category
from quizbank.formats.textio import format_number, percent


def _text(parent: Element, tag: str, value: str, fmt: str | None = "markdown") -> Element:
    el = SubElement(parent, tag, {"format": fmt} if fmt else {})
    SubElement(el, "text").text = CONTROL_CHARS.sub("", value)  # XML cannot hold them
    return el


def _answer(parent: Element, fraction: str, text: str, fmt: str | None = "markdown") -> Element:
    el = SubElement(parent, "answer", {"fraction": fraction, **({"format": fmt} if fmt else {})})
    SubElement(el, "text").text = CONTROL_CHARS.sub("", text)
    return el


_MOODLE_TYPE = {
    "single": "multichoice",
    "truefalse": "truefalse",
    "short": "shortanswer",
    "numeric": "numerical",
    "ordering": "ordering",
}


def _body(el: Element, q: ParsedQuestion) -> None:
    if q.qtype in ("single", "multiple"):
        if el.get("type") == "multichoice":
            SubElement(el, "single").text = "true" if q.qtype == "single" else "false"
        SubElement(el, "shuffleanswers").text = "true"
        SubElement(el, "answernumbering").text = "ABCD"
        for c in q.choices:
            fraction = "100" if el.get("type") == "multichoiceset" and c["correct"] else percent(c["weight"])
            _answer(el, fraction, c["text"])
    elif q.qtype == "truefalse":
        true_right = q.choices[0]["correct"]
        _answer(el, "100" if true_right else "0", "true", "moodle_auto_format")
        _answer(el, "0" if true_right else "100", "false", "moodle_auto_format")
    elif q.qtype == "short":
        SubElement(el, "usecase").text = "0"
        for text in q.answer["accepted"]:
            _answer(el, "100", text, "moodle_auto_format")
    elif q.qtype == "numeric":
        answer = _answer(el, "100", format_number(q.answer["value"]), "moodle_auto_format")
        SubElement(answer, "tolerance").text = format_number(q.answer.get("tolerance", 0.0))
    elif q.qtype == "ordering":
        for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"), ("selectcount", "0")):
            SubElement(el, tag).text = value
        SubElement(el, "gradingtype").text = "ABSOLUTE_POSITION"
        for position, c in enumerate(q.choices, start=1):
            _answer(el, f"{position}.0000000", c["text"])


def _meta(el: Element, q: ParsedQuestion) -> None:
    meta = meta_of(q, partial_default=True, topics_in_category=True)
    if not meta:
        return
    record = SubElement(el, "hoithiso")
    for key in META_KEYS:
        if key not in meta:
            continue
        if isinstance(meta[key], list):
            for value in meta[key]:
                SubElement(record, key[:-1]).text = value  # topics -> <topic>
        elif isinstance(meta[key], bool):
            SubElement(record, key).text = "true" if meta[key] else "false"
        else:
            SubElement(record, key).text = str(meta[key])


def _question(root: Element, q: ParsedQuestion) -> None:
    qtype = _MOODLE_TYPE.get(q.qtype) or ("multichoice" if q.partial_credit else "multichoiceset")
    el = SubElement(root, "question", {"type": qtype})
    _text(el, "name", stem_title(q.stem), None)
    _text(el, "questiontext", q.stem)
    _text(el, "generalfeedback", q.explanation)
    SubElement(el, "defaultgrade").text = "1"
    SubElement(el, "penalty").text = "0"
    SubElement(el, "hidden").text = "0"
    _body(el, q)
    if q.tags:
        tags = SubElement(el, "tags")
        for tag in q.tags:
            SubElement(SubElement(tags, "tag"), "text").text = tag
    _meta(el, q)


def export(questions: list[ParsedQuestion]) -> bytes:
    root = Element("quiz")
    category = None
    for q in questions:
        wanted = topic_category(q.topics[0] if q.topics else "")
        if wanted != category:
            cat = SubElement(root, "question", {"type": "category"})
            _text(cat, "category", wanted, None)
            category = wanted
        _question(root, q)
    indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"
