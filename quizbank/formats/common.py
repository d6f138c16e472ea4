"""Pieces shared by the Moodle formats (GIFT and Moodle XML) and their exports."""

from __future__ import annotations

import json
import re

from django.utils.translation import gettext as _

from quizbank.formats.base import ParsedQuestion
from quizbank.formats.textio import parse_difficulty, parse_language, parse_seconds

_CONTEXT = re.compile(r"^\$[a-z0-9]+\$$")
MOODLE_CONTEXT = "$course$/top"


def category_topic(path: str) -> str:
    """Our topic path for a Moodle category path.

    "$course$/top/Kỹ năng số/An toàn" -> "Kỹ năng số/An toàn". Moodle writes a "/" inside a
    category name as "//"; it becomes a plain "/" (our paths cannot tell the two apart).
    """
    parts = [p.replace("//", "/").strip() for p in re.split(r"(?<!/)/(?!/)", path.strip())]
    while parts and (_CONTEXT.match(parts[0]) or not parts[0]):
        parts.pop(0)
    if parts and parts[0] == "top":
        parts.pop(0)
    return "/".join(p for p in parts if p)


def topic_category(topic: str) -> str:
    return f"{MOODLE_CONTEXT}/{topic}" if topic else MOODLE_CONTEXT


def stem_title(stem: str, limit: int = 60) -> str:
    """A Moodle question name made from the stem: first line, without Markdown marks."""
    first = next((line for line in stem.splitlines() if line.strip()), "")
    first = re.sub(r"!\[[^\]]*\]\([^)]*\)|[*`#>\\]", "", first)
    first = " ".join(first.split())
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


# Fields Moodle has no place for travel in a small "hoithiso" record: a "// hoithiso: {json}"
# comment in GIFT, a <hoithiso> element in Moodle XML. Moodle ignores both.
META_KEYS = ("difficulty", "language", "source", "time_limit_s", "partial_credit", "ignore_accents", "topics", "tags")


def meta_of(q: ParsedQuestion, *, partial_default: bool, topics_in_category: bool) -> dict:
    """The non-default fields of ``q`` that the Moodle format cannot hold itself."""
    meta: dict = {}
    if q.difficulty != 2:
        meta["difficulty"] = q.difficulty
    if q.language != "vi":
        meta["language"] = q.language
    if q.source:
        meta["source"] = q.source
    if q.time_limit_s is not None:
        meta["time_limit_s"] = q.time_limit_s
    if q.qtype == "multiple" and q.partial_credit != partial_default:
        meta["partial_credit"] = q.partial_credit
    if q.qtype == "short" and q.answer.get("ignore_accents"):
        meta["ignore_accents"] = True
    if q.topics and (not topics_in_category or len(q.topics) > 1):
        meta["topics"] = q.topics
    return meta


def meta_json(meta: dict) -> str:
    return json.dumps(meta, ensure_ascii=False, separators=(", ", ": "))


def apply_meta(q: ParsedQuestion, meta: dict) -> list[str]:
    """Copy a hoithiso record onto ``q``; return messages for values that make no sense."""
    bad: list[str] = []

    def wrong(key):
        bad.append(_("Thông tin bổ sung “%(key)s” không hợp lệ.") % {"key": key})

    if "difficulty" in meta:
        value = parse_difficulty(meta["difficulty"])
        q.difficulty = value if value else q.difficulty
        if not value:
            wrong("difficulty")
    if "language" in meta:
        value = parse_language(meta["language"])
        q.language = value or q.language
        if not value:
            wrong("language")
    if "source" in meta:
        q.source = str(meta["source"] or "")
    if "time_limit_s" in meta:
        q.time_limit_s = None if meta["time_limit_s"] is None else parse_seconds(meta["time_limit_s"])
        if meta["time_limit_s"] is not None and q.time_limit_s is None:
            wrong("time_limit_s")
    for key in ("partial_credit", "ignore_accents"):
        if key in meta and not isinstance(meta[key], bool):
            wrong(key)
    if isinstance(meta.get("partial_credit"), bool):
        q.partial_credit = meta["partial_credit"]
    if isinstance(meta.get("ignore_accents"), bool) and q.qtype == "short":
        q.answer["ignore_accents"] = meta["ignore_accents"]
    for key in ("topics", "tags"):
        if key in meta:
            value = meta[key]
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                setattr(q, key, list(value))
            else:
                wrong(key)
    return bad
