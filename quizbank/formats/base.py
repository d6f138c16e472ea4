"""What every import format produces: parsed questions, skipped items and errors.

Parsers never touch the database. They turn a file into ``ParsedQuestion`` objects in one
canonical form, so that equal questions compare equal whatever file they came from; that is
what makes ``parse(export(questions)) == questions`` hold. The canonical form:

- texts are stripped and NFC-normalised (CP1258 and macOS files arrive decomposed);
- ``single``/``truefalse``: a choice is correct when its weight is 1 (Moodle's "=" answer);
  other choices may carry partial weights (Moodle's ``~%50%``). Several correct choices mean
  "any of them is right" (Kahoot! semantics);
- ``multiple``: a choice is correct when its weight is positive; with ``partial_credit`` off
  the weights are reset to the default (1/k for each of the k correct choices, 0 otherwise),
  because they do not matter for all-or-nothing scoring;
- ``truefalse``: two choices, "true" first ("Đúng"/"Sai", or "True"/"False" in English);
- ``short``/``numeric``: no choices; the answer dict holds the accepted texts or the value;
- ``ordering``: the choices in their correct order, each ``correct=True, weight=1.0``;
- weights are snapped to simple fractions (33.33333% -> 1/3), the precision Moodle keeps.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

QTYPES = ("single", "multiple", "truefalse", "short", "numeric", "ordering")
LANGUAGES = ("vi", "en")
TRUEFALSE_LABELS = {"vi": ("Đúng", "Sai"), "en": ("True", "False")}


@dataclass
class ParsedQuestion:
    qtype: str
    stem: str
    choices: list[dict] = field(default_factory=list)
    answer: dict = field(default_factory=dict)
    partial_credit: bool = False
    difficulty: int = 2
    language: str = "vi"
    explanation: str = ""
    source: str = ""
    topics: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    time_limit_s: int | None = None
    # Where the question starts in its file; not part of the question's identity.
    line: int = field(default=0, compare=False)


@dataclass
class Skipped:
    line: int
    name: str
    reason: str
    kind: str = ""  # the source format's own type name: "essay", "matching", "Poll"...


@dataclass
class ParseError:
    line: int  # 0 when the error is about the whole file
    message: str

    def __str__(self) -> str:
        if not self.line:
            return self.message
        return _("Dòng %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ParseResult:
    format: str
    items: list[ParsedQuestion] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    # Things imported with a loss the user should know about (e.g. an embedded image left out).
    warnings: list[ParseError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class FileRejected(Exception):
    """The whole file is unusable (too big, unreadable, unsafe): nothing is imported."""

    def __init__(self, message: str, *, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line


def max_bytes() -> int:
    return getattr(settings, "QUIZBANK_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


def max_items() -> int:
    return getattr(settings, "QUIZBANK_IMPORT_MAX_ITEMS", 2000)


MAX_CHOICES = 10
MAX_STEM_CHARS = 10_000
MAX_CHOICE_CHARS = 1_000
MIN_TIME_LIMIT, MAX_TIME_LIMIT = 5, 3600


class TooManyItems(FileRejected):
    """Raised as soon as the item limit is passed; never caught below ``parse()``."""


def too_many_items() -> TooManyItems:
    return TooManyItems(
        _("Tệp có quá nhiều câu hỏi; mỗi lần chỉ nhập được tối đa %(max)s câu.")
        % {"max": number_format(max_items(), force_grouping=True)}
    )


class Collector:
    """Gathers a parser's output; counts every question found, good or bad, against the limit."""

    def __init__(self, fmt: str):
        self.result = ParseResult(format=fmt)
        self.found = 0

    def _count(self) -> None:
        self.found += 1
        if self.found > max_items():
            raise too_many_items()

    def add(self, question: ParsedQuestion) -> ParsedQuestion | None:
        """Canonicalise and check ``question``; keep it if valid, else record its errors."""
        from quizbank.formats.checks import problems  # checks imports this module

        self._count()
        canonicalise(question)
        found = problems(question)
        if found:
            for message in found:
                self.error(question.line, message)
            return None
        self.result.items.append(question)
        return question

    def skip(self, line: int, name: str, kind: str) -> None:
        self._count()
        reason = _("Loại câu hỏi “%(kind)s” chưa được hỗ trợ nên đã bỏ qua.") % {"kind": kind}
        self.result.skipped.append(Skipped(line=line, name=short_name(name), reason=reason, kind=kind))

    def bad_question(self, line: int, message: str) -> None:
        """A question that could not be read at all: counts as found, reports one error."""
        self._count()
        self.error(line, message)

    def error(self, line: int, message: str) -> None:
        self.result.errors.append(ParseError(line=line, message=str(message)))

    def warn(self, line: int, message: str) -> None:
        self.result.warnings.append(ParseError(line=line, message=str(message)))


def short_name(text: str, limit: int = 80) -> str:
    """A one-line label for a question in reports: its title, or the start of its stem."""
    line = " ".join(str(text or "").split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text) -> str:
    """Stripped, NFC-normalised text with Unix newlines and no control characters (which
    neither XML nor XLSX can hold)."""
    text = "" if text is None else str(text)
    text = CONTROL_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", text).strip()


def snap(weight: float) -> float:
    """Undo percent rounding: 0.3333333 -> 1/3, so weights survive a trip through Moodle."""
    weight = float(weight)
    simple = Fraction(weight).limit_denominator(100)
    if abs(float(simple) - weight) < 5e-7:
        return float(simple)
    return weight


def default_weights(qtype: str, flags: list[bool]) -> list[float]:
    if qtype == "ordering":
        return [1.0] * len(flags)
    if qtype == "multiple":
        k = sum(flags)
        return [1.0 / k if c and k else 0.0 for c in flags]
    return [1.0 if c else 0.0 for c in flags]


def choice(text, correct: bool, weight: float | None = None) -> dict:
    return {"text": text, "correct": bool(correct), "weight": weight}


def truefalse_choices(true_is_correct: bool, language: str = "vi") -> list[dict]:
    yes, no = TRUEFALSE_LABELS.get(language, TRUEFALSE_LABELS["vi"])
    return [choice(yes, true_is_correct, 1.0 if true_is_correct else 0.0), choice(no, not true_is_correct)]


def normalise_topic(path: str) -> str:
    return "/".join(part for part in (clean(p) for p in str(path).split("/")) if part)


def _unique(values) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def canonicalise(q: ParsedQuestion) -> None:
    """Bring ``q`` into the canonical form described in the module docstring, in place."""
    q.stem = clean(q.stem)
    q.explanation = clean(q.explanation)
    q.source = clean(q.source)
    q.topics = _unique(normalise_topic(t) for t in q.topics)
    q.tags = _unique(clean(t) for t in q.tags)
    if q.qtype not in ("multiple",):
        q.partial_credit = False
    if q.qtype in ("short", "numeric"):
        q.choices = []
        if q.qtype == "short":
            accepted = _unique(clean(a) for a in q.answer.get("accepted", []))
            q.answer = {"accepted": accepted, "ignore_accents": bool(q.answer.get("ignore_accents", False))}
        return
    q.answer = {}
    if q.qtype == "truefalse" and len(q.choices) == 2:
        true_is_correct = bool(q.choices[0].get("correct"))
        q.choices = truefalse_choices(true_is_correct, q.language)
    for c in q.choices:
        c["text"] = clean(c.get("text"))
    flags = [bool(c.get("correct")) for c in q.choices]
    defaults = default_weights(q.qtype, flags)
    reset = q.qtype == "ordering" or (q.qtype == "multiple" and not q.partial_credit)
    for c, default in zip(q.choices, defaults, strict=True):
        weight = default if reset or c.get("weight") is None else snap(c["weight"])
        c["weight"] = weight + 0.0  # -0.0 -> 0.0
        if q.qtype == "ordering":
            c["correct"] = True
        elif q.qtype == "multiple":
            c["correct"] = weight > 0
        else:
            c["correct"] = abs(weight - 1.0) < 1e-9
    q.choices = [{"text": c["text"], "correct": c["correct"], "weight": c["weight"]} for c in q.choices]
