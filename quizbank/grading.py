"""Grading of one response against one question version.

``grade(version, response)`` is pure: it reads only the version's stored content, so
re-scoring the stored answers of a round gives the same numbers (DESIGN invariant 6).

Response shapes, by question type:
- single, truefalse: ``{"choice": id}``
- multiple: ``{"choices": [id, ...]}``
- short: ``{"text": str}``
- numeric: ``{"value": number}`` (a string with a decimal comma, "3,5", is accepted too)
- ordering: ``{"order": [id, ...]}`` listing every choice once

Single choice: a correct option (several may be: "any of them") scores 1; a wrong option
scores its partial weight if it has one (Moodle's ``~%50%``), else 0.
Partial credit (multiple): each chosen option adds its weight; the sum is clamped to 0..1.
A correct option without a positive weight counts +1/k, a wrong option without a negative
weight counts -1/k (k = number of correct options), so ticking everything earns nothing
(``content.effective_weights``). Without partial credit a multiple-choice answer scores 1
only when it picks exactly the correct options.
Ordering with partial credit scores the share of items in their correct position.
"""

import math
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from core.text import unaccent
from quizbank.content import effective_weights

_EPS = 1e-9


@dataclass(frozen=True)
class Grade:
    correct: bool
    fraction: float


def _malformed(message) -> ValidationFailed:
    return ValidationFailed(message, code="bad_response", fields={"response": [message]})


def _field(response, key: str, kind):
    if not isinstance(response, dict) or key not in response:
        raise _malformed(_("Câu trả lời thiếu trường “%(key)s”.") % {"key": key})
    value = response[key]
    if kind is not None and (not isinstance(value, kind) or isinstance(value, bool)):
        raise _malformed(_("Trường “%(key)s” của câu trả lời có kiểu không đúng.") % {"key": key})
    return value


def _check_ids(ids, known: set[str], *, unique: bool = True) -> None:
    if not all(isinstance(i, str) for i in ids):
        raise _malformed(_("Mã phương án phải là chuỗi ký tự."))
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise _malformed(_("Phương án không tồn tại: %(ids)s.") % {"ids": ", ".join(unknown)})
    if unique and len(set(ids)) != len(ids):
        raise _malformed(_("Một phương án được chọn nhiều lần."))


def normalise_short(text: str, *, ignore_accents: bool) -> str:
    """The comparison key of a short answer: NFC, case-folded, single-spaced, maybe accent-free."""
    text = unicodedata.normalize("NFC", text).casefold()
    if ignore_accents:
        text = unaccent(text)
    return " ".join(text.split())


def parse_number(value) -> float:
    if isinstance(value, bool):
        raise _malformed(_("Giá trị phải là một số."))
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        cleaned = value.strip().replace(" ", "")
        # Vietnamese writes 3,5 for 3.5; a dot followed by a comma ("1.234,5") is grouping.
        if "," in cleaned:
            cleaned = cleaned.replace(".", "").replace(",", ".")
        try:
            number = float(cleaned)
        except ValueError:
            raise _malformed(_("Giá trị phải là một số.")) from None
    else:
        raise _malformed(_("Giá trị phải là một số."))
    if not math.isfinite(number):
        raise _malformed(_("Giá trị phải là một số."))
    return number


def _grade_single(version, response) -> float:
    choice = _field(response, "choice", str)
    picked = next((c for c in version.choices if c["id"] == choice), None)
    if picked is None:
        _check_ids([choice], set(version.choice_ids()))  # raises, with the usual message
    if picked.get("correct"):
        return 1.0
    # A wrong option may carry partial credit (Moodle's ~%50%), never a penalty.
    return min(1.0, max(0.0, float(picked.get("weight") or 0.0)))


def _grade_multiple(version, response) -> float:
    chosen = _field(response, "choices", list)
    _check_ids(chosen, set(version.choice_ids()))
    if not version.partial_credit:
        return 1.0 if set(chosen) == set(version.correct_ids()) else 0.0
    weights = effective_weights(version.choices)
    total = sum(weights[i] for i in chosen)
    return min(1.0, max(0.0, total))


def _grade_short(version, response) -> float:
    text = _field(response, "text", str)
    ignore = bool(version.answer.get("ignore_accents"))
    given = normalise_short(text, ignore_accents=ignore)
    if not given:
        return 0.0
    accepted = {normalise_short(a, ignore_accents=ignore) for a in version.answer.get("accepted", [])}
    return 1.0 if given in accepted else 0.0


def _grade_numeric(version, response) -> float:
    value = parse_number(_field(response, "value", None))
    expected = float(version.answer["value"])
    tolerance = abs(float(version.answer.get("tolerance") or 0.0))
    return 1.0 if abs(value - expected) <= tolerance + _EPS * max(1.0, abs(expected)) else 0.0


def _grade_ordering(version, response) -> float:
    order = _field(response, "order", list)
    ids = version.choice_ids()
    _check_ids(order, set(ids))
    if len(order) != len(ids):
        raise _malformed(_("Thứ tự phải liệt kê đủ mọi phương án, mỗi phương án một lần."))
    if not version.partial_credit:
        return 1.0 if order == ids else 0.0
    return sum(1 for got, want in zip(order, ids, strict=True) if got == want) / len(ids)


_GRADERS = {
    "single": _grade_single,
    "truefalse": _grade_single,
    "multiple": _grade_multiple,
    "short": _grade_short,
    "numeric": _grade_numeric,
    "ordering": _grade_ordering,
}


def grade(version, response) -> Grade:
    """Grade ``response`` against ``version``; raises ``ValidationFailed`` if it is malformed."""
    fraction = _GRADERS[version.qtype](version, response)
    fraction = round(fraction, 6)
    return Grade(correct=fraction >= 1.0 - _EPS, fraction=fraction)
