"""Moodle GIFT export. Moodle imports the result; ``gift.parse`` reads it back unchanged."""

from __future__ import annotations

from quizbank.formats.base import ParsedQuestion
from quizbank.formats.common import meta_json, meta_of, stem_title, topic_category
from quizbank.formats.textio import format_number, percent


def escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in "\\~=#{}:":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch != "\r":
            out.append(ch)
    return "".join(out)


def _tag_comment(tags: list[str]) -> str:
    return " ".join(f"[tag:{t.replace(']', chr(92) + ']')}]" for t in tags)


def _tags_fit(tags: list[str]) -> bool:
    # Moodle's "[tag:...]" allows neither <, >, ` nor control characters; such tags travel in
    # the hoithiso record instead.
    return all(not set(t) & set("<>`\n") for t in tags)


def _answers(q: ParsedQuestion) -> list[str]:
    if q.qtype == "truefalse":
        return ["T" if q.choices[0]["correct"] else "F"]
    if q.qtype == "numeric":
        value, tolerance = q.answer["value"], q.answer.get("tolerance", 0.0)
        suffix = f":{format_number(tolerance)}" if tolerance else ""
        return [f"#{format_number(value)}{suffix}"]
    if q.qtype == "short":
        return [f"={escape(text)}" for text in q.answer["accepted"]]
    lines = []
    for c in q.choices:
        text = escape(c["text"])
        if q.qtype == "single" and c["correct"]:
            lines.append(f"={text}")
        else:  # a multiple has no "=" at all, so Moodle makes it a multi-answer question
            lines.append(f"~%{percent(c['weight'])}%{text}" if c["weight"] else f"~{text}")
    return lines


def _question(q: ParsedQuestion) -> list[str]:
    lines = []
    meta = meta_of(q, partial_default=True, topics_in_category=True)
    if q.tags and _tags_fit(q.tags):
        lines.append(f"// {_tag_comment(q.tags)}")
    elif q.tags:
        meta["tags"] = q.tags
    if q.qtype == "ordering":
        # GIFT has no ordering questions: the whole question lives in a comment Moodle skips.
        meta.update({"qtype": "ordering", "stem": q.stem, "items": [c["text"] for c in q.choices]})
        if q.explanation:
            meta["explanation"] = q.explanation
        meta["topics"] = q.topics  # always: the block must not inherit the current $CATEGORY
        lines.append(f"// hoithiso: {meta_json(meta)}")
        return lines
    if meta:
        lines.append(f"// hoithiso: {meta_json(meta)}")
    lines.append(f"::{escape(stem_title(q.stem))}::[markdown]{escape(q.stem)} {{")
    lines += [f"\t{answer}" for answer in _answers(q)]
    if q.explanation:
        lines.append(f"\t####{escape(q.explanation)}")
    lines.append("}")
    return lines


def export(questions: list[ParsedQuestion]) -> bytes:
    out = ["// Hội thi Số: câu hỏi ở định dạng GIFT của Moodle.", ""]
    category = None
    for q in questions:
        wanted = topic_category(q.topics[0] if q.topics else "")
        if q.qtype != "ordering" and wanted != category:
            out += [f"$CATEGORY: {wanted}", ""]
            category = wanted
        out += [*_question(q), ""]
    return "\n".join(out).encode("utf-8")
