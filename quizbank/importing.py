"""Turn a question file into an import plan, without writing anything.

The parsers live in ``quizbank.formats`` (``parse(data, filename=..., fmt=...)``); this module
validates each parsed item with the same rules as the editor (``content.clean_content``),
maps categories to topics, flags duplicates (already in the bank, or repeated in the file)
and collects every error with its line or row. ``services.imports`` stores a plan in an
ImportJob for the preview and applies it, atomically, on confirmation; the
``import_questions`` command applies it directly.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from core.text import search_key
from quizbank.content import clean_content, fingerprint
from quizbank.models import Topic
from quizbank.scope import Bank

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ITEMS = 2000
FORMATS = ("auto", "gift", "aiken", "moodlexml", "xlsx", "csv", "kahoot", "quizizz", "qti")


@dataclass
class Plan:
    format: str
    items: list[dict] = field(default_factory=list)  # {"line", "content", "topics", "tags", ...}
    errors: list[dict] = field(default_factory=list)  # {"line", "message"}
    skipped: list[dict] = field(default_factory=list)  # {"line", "name", "reason"}

    @property
    def new_items(self) -> list[dict]:
        return [i for i in self.items if not i.get("duplicate_of") and not i.get("duplicate_line")]

    @property
    def duplicates(self) -> list[dict]:
        return [i for i in self.items if i.get("duplicate_of") or i.get("duplicate_line")]


class TopicResolver:
    """Match category paths ("Kỹ năng số/An toàn", "$course$/top/Safety") to topics.

    The deepest segment that names a topic wins. A segment names a topic when it equals its
    slug, Vietnamese or English name (ignoring accents and case), or, failing that, when all
    its words (two or more) appear in one name ("An toàn trên mạng" finds "An toàn trên không
    gian mạng"; the closest name wins). A path that names no topic is kept as a tag.
    """

    def __init__(self):
        self.by_key: dict[str, Topic] = {}
        self.names: list[tuple[set[str], int, Topic]] = []
        for topic in Topic.objects.all():
            for key in (topic.slug, topic.name_vi, topic.name_en):
                self.by_key.setdefault(search_key(key), topic)
            for name in (topic.name_vi, topic.name_en):
                words = _words(name)
                self.names.append((words, len(words), topic))

    def _segment(self, segment: str) -> Topic | None:
        topic = self.by_key.get(search_key(segment))
        if topic is not None:
            return topic
        words = _words(segment)
        if len(words) < 2:
            return None
        candidates = [(size, topic.pk, topic) for names, size, topic in self.names if words <= names]
        return min(candidates)[2] if candidates else None

    def resolve(self, path: str) -> Topic | None:
        segments = [s.strip() for s in str(path).replace("\\", "/").split("/") if s.strip()]
        for segment in reversed(segments):
            topic = self._segment(segment)
            if topic is not None:
                return topic
        return None


def _words(text: str) -> set[str]:
    return set("".join(ch if ch.isalnum() else " " for ch in search_key(text)).split())


def _attr(item, name, default=None):
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _content(item) -> dict:
    return {
        "qtype": _attr(item, "qtype"),
        "stem": _attr(item, "stem", ""),
        "choices": [dict(c) for c in (_attr(item, "choices") or [])],
        "answer": dict(_attr(item, "answer") or {}),
        "partial_credit": bool(_attr(item, "partial_credit", False)),
        "difficulty": _attr(item, "difficulty") or 2,
        "language": _attr(item, "language") or "vi",
        "explanation": _attr(item, "explanation") or "",
        "source": _attr(item, "source") or "",
        "time_limit_s": _attr(item, "time_limit_s"),
    }


def _messages(error: ValidationFailed) -> str:
    parts = [str(m) for msgs in error.fields.values() for m in msgs]
    return " ".join(parts) or str(error.message)


def parse_file(data: bytes, *, filename: str, fmt: str = "auto"):
    """Call the format parsers, with the size limit and a translated error for junk."""
    from quizbank import formats

    if fmt not in FORMATS:
        raise ValidationFailed(fields={"format": [_("Định dạng không được hỗ trợ: %(f)s.") % {"f": fmt}]})
    if not data:
        raise ValidationFailed(fields={"file": [_("Tệp trống.")]})
    if len(data) > MAX_IMPORT_BYTES:
        limit = MAX_IMPORT_BYTES // (1024 * 1024)
        raise ValidationFailed(fields={"file": [_("Tệp lớn quá %(n)d MB.") % {"n": limit}]})
    try:
        return formats.parse(data, filename=filename, fmt=fmt)
    except formats.FileRejected as exc:
        raise ValidationFailed(fields={"file": [str(exc.message)]}) from None


def build_plan(result, *, bank: Bank) -> Plan:
    """Validate the parsed items of ``result`` (a formats.ParseResult) for ``bank``."""
    from quizbank.services.questions import clean_tags, find_duplicates

    plan = Plan(format=str(getattr(result, "format", "") or ""))
    plan.errors = [{"line": _attr(e, "line"), "message": str(_attr(e, "message"))} for e in result.errors]
    plan.skipped = [
        {"line": _attr(s, "line"), "name": str(_attr(s, "name")), "reason": str(_attr(s, "reason"))}
        for s in result.skipped
    ]
    if len(result.items) > MAX_IMPORT_ITEMS:
        plan.errors.append(
            {"line": None, "message": _("Tệp có quá %(n)d câu hỏi; hãy chia nhỏ tệp.") % {"n": MAX_IMPORT_ITEMS}}
        )
        return plan
    resolver = TopicResolver()
    seen: dict[str, int | None] = {}
    for item in result.items:
        line = _attr(item, "line")
        try:
            content = clean_content(_content(item))
            tags = clean_tags(_attr(item, "tags") or [])
        except ValidationFailed as exc:
            plan.errors.append({"line": line, "message": _messages(exc)})
            continue
        topic_ids, unmatched = [], []
        for path in _attr(item, "topics") or []:
            topic = resolver.resolve(path)
            if topic is None:
                unmatched.append(str(path))
            elif topic.pk not in topic_ids:
                topic_ids.append(topic.pk)
        for path in unmatched:
            last = [s for s in str(path).split("/") if s.strip()][-1:] or [path]
            tags = clean_tags([*tags, last[0]])[:20]
        fp = fingerprint(content)
        entry = {"line": line, "content": content, "topics": topic_ids, "tags": tags, "fingerprint": fp}
        if unmatched:
            entry["unmatched_topics"] = unmatched
        if fp in seen:
            entry["duplicate_line"] = seen[fp]
        else:
            seen[fp] = line
        plan.items.append(entry)
    existing = find_duplicates(bank=bank, fingerprints=list(seen))
    for entry in plan.items:
        if entry["fingerprint"] in existing:
            entry["duplicate_of"] = existing[entry["fingerprint"]]
    plan.errors.sort(key=lambda e: (e["line"] is None, e["line"] or 0))
    return plan


def plan_for_file(data: bytes, *, filename: str, fmt: str, bank: Bank) -> Plan:
    return build_plan(parse_file(data, filename=filename, fmt=fmt), bank=bank)
