"""Validation and normalisation of question content, shared by the editor, the API, imports
and the demo seed, so a rule about what a valid question is exists once.

``clean_content(data, previous=None)`` takes a loose dict and returns the canonical one that
a QuestionVersion stores, or raises ``ValidationFailed`` with per-field messages.
"""

import hashlib
import math
import secrets

from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from core.text import search_key
from quizbank.models import QType
from quizbank.rendering import plain_text

MAX_STEM = 5000
MAX_CHOICE = 1000
MAX_CHOICES = 10
MAX_TEXT = 5000
CONTENT_FIELDS = (
    "qtype", "stem", "choices", "answer", "partial_credit", "difficulty", "language",
    "explanation", "source", "time_limit_s",
)  # fmt: skip
CHOICE_TYPES = {"single", "multiple", "truefalse", "ordering"}
TRUEFALSE_TEXT = {"vi": ("Đúng", "Sai"), "en": ("True", "False")}


def new_choice_id(taken: set[str]) -> str:
    """A short random id: random so that sorting ids never reveals an ordering answer."""
    while True:
        cid = secrets.token_hex(3)
        if cid not in taken:
            taken.add(cid)
            return cid


def _number(value, errors: dict, field: str, message) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        errors.setdefault(field, []).append(message)
        return None
    try:
        number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(message)
        return None
    if not math.isfinite(number):
        errors.setdefault(field, []).append(message)
        return None
    return number


def _clean_choices(raw, qtype: str, language: str, errors: dict, previous_ids: set[str]) -> list[dict]:
    if qtype == "truefalse" and not raw:
        errors.setdefault("choices", []).append(_("Câu Đúng/Sai cần chọn đáp án đúng."))
        return []
    if not isinstance(raw, list):
        errors.setdefault("choices", []).append(_("Danh sách phương án không hợp lệ."))
        return []
    taken: set[str] = set()
    out = []
    for item in raw:
        if not isinstance(item, dict):
            errors.setdefault("choices", []).append(_("Danh sách phương án không hợp lệ."))
            return []
        text = str(item.get("text") or "").strip()
        cid = str(item.get("id") or "").strip()
        if not cid or cid in taken or len(cid) > 20:
            cid = new_choice_id(taken | previous_ids)
        taken.add(cid)
        weight = item.get("weight") or 0.0
        try:
            weight = float(weight)
        except (TypeError, ValueError):
            errors.setdefault("choices", []).append(_("Trọng số phương án phải là một số."))
            weight = 0.0
        out.append({"id": cid, "text": text, "correct": bool(item.get("correct")), "weight": weight})
    if qtype == "truefalse" and len(out) == 2:
        # The labels follow the question's language; only which one is correct is content.
        for choice, label in zip(out, TRUEFALSE_TEXT.get(language, TRUEFALSE_TEXT["vi"]), strict=True):
            choice["text"] = label
    if any(not c["text"] for c in out):
        errors.setdefault("choices", []).append(_("Phương án không được để trống."))
    if any(len(c["text"]) > MAX_CHOICE for c in out):
        errors.setdefault("choices", []).append(_("Phương án dài quá %(n)d ký tự.") % {"n": MAX_CHOICE})
    return out


def effective_weights(choices: list[dict]) -> dict[str, float]:
    """Partial-credit weights of a multiple-choice question, as grading uses them.

    A correct option counts its weight if positive, else 1/k (k correct options); a wrong
    option counts its weight if negative, else -1/k, so ticking every box never pays.
    """
    k = sum(1 for c in choices if c["correct"]) or 1
    out = {}
    for c in choices:
        w = float(c.get("weight") or 0.0)
        if c["correct"]:
            out[c["id"]] = w if w > 0 else 1.0 / k
        else:
            out[c["id"]] = w if w < 0 else -1.0 / k
    return out


def _check_choice_rules(qtype: str, choices: list[dict], partial: bool, errors: dict) -> None:
    n_correct = sum(1 for c in choices if c["correct"])
    if qtype == "truefalse":
        if len(choices) != 2 or n_correct != 1:
            errors.setdefault("choices", []).append(_("Câu Đúng/Sai có đúng hai phương án, một phương án đúng."))
        return
    if not 2 <= len(choices) <= MAX_CHOICES:
        errors.setdefault("choices", []).append(_("Cần từ 2 đến %(n)d phương án.") % {"n": MAX_CHOICES})
    if qtype in ("single", "multiple") and n_correct < 1:
        errors.setdefault("choices", []).append(_("Cần ít nhất một phương án đúng."))
    if qtype == "multiple" and partial and n_correct:
        if any((c["correct"] and c["weight"] < 0) or (not c["correct"] and c["weight"] > 0) for c in choices):
            errors.setdefault("choices", []).append(
                _("Phương án đúng có trọng số dương, phương án sai có trọng số âm.")
            )
        weights = effective_weights(choices)
        best = sum(weights[c["id"]] for c in choices if c["correct"])
        if abs(best - 1.0) > 0.02:
            errors.setdefault("choices", []).append(_("Tổng trọng số của các phương án đúng phải bằng 100%."))


def _canonical_weights(qtype: str, choices: list[dict], partial: bool) -> None:
    """The weights the import formats use (see quizbank.formats.base), so exports match."""
    k = sum(1 for c in choices if c["correct"])
    for c in choices:
        if qtype == "ordering":
            c["correct"], c["weight"] = True, 1.0
        elif qtype == "multiple" and not partial:
            c["weight"] = 1.0 / k if c["correct"] and k else 0.0
        elif qtype in ("single", "truefalse"):
            # A wrong option may keep a partial weight (Moodle's ~%50%); a correct one is 1.
            c["weight"] = 1.0 if c["correct"] else min(1.0, max(0.0, c["weight"]))


def _clean_answer(qtype: str, raw, errors: dict) -> dict:
    raw = raw if isinstance(raw, dict) else {}
    if qtype == "short":
        accepted = raw.get("accepted") or []
        if isinstance(accepted, str):
            accepted = [accepted]
        accepted = [str(a).strip() for a in accepted if str(a).strip()] if isinstance(accepted, list) else []
        if not accepted:
            errors.setdefault("answer", []).append(_("Cần ít nhất một đáp án được chấp nhận."))
        return {"accepted": accepted, "ignore_accents": bool(raw.get("ignore_accents"))}
    if qtype == "numeric":
        value = _number(raw.get("value"), errors, "answer", _("Đáp án số không hợp lệ."))
        tolerance = raw.get("tolerance") or 0
        tolerance = _number(tolerance, errors, "answer", _("Sai số cho phép không hợp lệ."))
        if tolerance is not None and tolerance < 0:
            errors.setdefault("answer", []).append(_("Sai số cho phép không được âm."))
        return {"value": value, "tolerance": tolerance if tolerance is not None else 0.0}
    return {}


def clean_content(data: dict, *, previous_ids: set[str] | None = None) -> dict:
    """Validate ``data`` and return the canonical content dict (keys ``CONTENT_FIELDS``)."""
    errors: dict[str, list] = {}
    qtype = data.get("qtype")
    if qtype not in QType.values:
        raise ValidationFailed(fields={"qtype": [_("Loại câu hỏi không hợp lệ.")]})
    stem = str(data.get("stem") or "").strip()
    if not stem:
        errors.setdefault("stem", []).append(_("Đề bài không được để trống."))
    elif len(stem) > MAX_STEM:
        errors.setdefault("stem", []).append(_("Đề bài dài quá %(n)d ký tự.") % {"n": MAX_STEM})
    language = data.get("language") or "vi"
    if language not in ("vi", "en"):
        errors.setdefault("language", []).append(_("Ngôn ngữ phải là vi hoặc en."))
    difficulty = data.get("difficulty")
    if difficulty is None or difficulty == "":
        difficulty = 2
    try:
        difficulty = int(difficulty)
    except (TypeError, ValueError):
        difficulty = 0
    if difficulty not in (1, 2, 3):
        errors.setdefault("difficulty", []).append(_("Độ khó phải là 1, 2 hoặc 3."))
    time_limit = data.get("time_limit_s")
    if time_limit in ("", None):
        time_limit = None
    else:
        try:
            time_limit = int(time_limit)
        except (TypeError, ValueError):
            time_limit = -1
        if not 5 <= time_limit <= 3600:
            errors.setdefault("time_limit_s", []).append(_("Thời gian phải từ 5 đến 3600 giây."))
    partial = bool(data.get("partial_credit"))
    choices: list[dict] = []
    if qtype in CHOICE_TYPES:
        choices = _clean_choices(data.get("choices") or [], qtype, language, errors, previous_ids or set())
        if qtype == "ordering":
            for c in choices:
                c["correct"] = True
        if "choices" not in errors:
            _check_choice_rules(qtype, choices, partial, errors)
            _canonical_weights(qtype, choices, partial)
    answer = _clean_answer(qtype, data.get("answer"), errors)
    explanation = str(data.get("explanation") or "").strip()
    source = str(data.get("source") or "").strip()
    if len(explanation) > MAX_TEXT:
        errors.setdefault("explanation", []).append(_("Giải thích dài quá %(n)d ký tự.") % {"n": MAX_TEXT})
    if len(source) > 500:
        errors.setdefault("source", []).append(_("Nguồn dài quá 500 ký tự."))
    if errors:
        raise ValidationFailed(fields=errors)
    return {
        "qtype": qtype,
        "stem": stem,
        "choices": choices,
        "answer": answer,
        "partial_credit": partial and qtype in ("multiple", "ordering"),  # ordering: share in place
        "difficulty": difficulty,
        "language": language,
        "explanation": explanation,
        "source": source,
        "time_limit_s": time_limit,
    }


def _norm(text: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in search_key(plain_text(text))).split())


def fingerprint(content: dict) -> str:
    """Duplicate key: the normalised stem plus the normalised set of choices (or answers).

    Case, accents, punctuation, Markdown and choice order do not matter.
    """
    parts = [content["qtype"] if content["qtype"] != "truefalse" else "tf", _norm(content["stem"])]
    if content["qtype"] in ("short",):
        parts += sorted(_norm(a) for a in content["answer"].get("accepted", []))
    elif content["qtype"] == "numeric":
        parts.append(repr(content["answer"].get("value")))
    else:
        parts += sorted(_norm(c["text"]) for c in content["choices"])
    return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()


def search_text(content: dict, tags: list[str]) -> str:
    """The accent-free text the bank search matches: stem, choices, answers and tags."""
    pieces = [plain_text(content["stem"])]
    pieces += [plain_text(c["text"]) for c in content["choices"]]
    pieces += content["answer"].get("accepted", []) if content["qtype"] == "short" else []
    pieces += list(tags)
    return search_key(" ".join(pieces))
