"""Reading text files as teachers really save them, and reading Vietnamese-style values.

Encodings: UTF-8 with or without a BOM, UTF-16 (Excel's "Unicode Text"), and Windows-1258,
which Excel uses for "CSV" on Vietnamese Windows. CP1258 writes tones as combining marks, so
every text is NFC-normalised after decoding.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata

from django.utils.translation import gettext as _

from core.text import normalise_header
from quizbank.formats.base import FileRejected


def _looks_utf16(data: bytes) -> str | None:
    """Excel's UTF-16 without a BOM: every other byte of ASCII text is NUL."""
    sample = data[:2000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.4 and even < half * 0.1:
        return "utf-16-le"
    if even > half * 0.4 and odd < half * 0.1:
        return "utf-16-be"
    return None


def detect_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    guessed = _looks_utf16(data)
    if guessed:
        return guessed
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1258"
    return "utf-8"


def decode(data: bytes, encoding: str | None = None) -> str:
    """Text of ``data`` with Unix newlines, NFC; FileRejected if it is not text at all."""
    encoding = encoding or detect_encoding(data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise FileRejected(_("Không đọc được bảng mã của tệp. Hãy lưu tệp dưới dạng UTF-8 rồi thử lại.")) from None
    if "\x00" in text:
        raise FileRejected(_("Tệp không phải là tệp văn bản."))
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def parse_number(value) -> float | None:
    """A number written the Vietnamese way ("1.234,5", "3,14") or the English way ("3.14").

    With both separators, the last one is the decimal mark. A lone comma is decimal ("3,14");
    a lone dot is decimal too, unless it groups thousands more than once ("1.234.567").
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = str(value or "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal == "," else ","
        text = text.replace(grouping, "").replace(decimal, ".")
    elif "," in text:
        if text.count(",") > 1:
            return None
        text = text.replace(",", ".")
    elif text.count(".") > 1:
        if not re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
            return None
        text = text.replace(".", "")
    if not _NUMBER.match(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def format_number(value: float) -> str:
    """The shortest text that reads back as exactly ``value`` ("5", "0.5", "1e-07")."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def format_vi_number(value: float) -> str:
    return format_number(value).replace(".", ",")


def percent(weight: float) -> str:
    """A weight as Moodle writes it: at most five decimals of a percent ("33.33333")."""
    text = f"{weight * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_YES = {"co", "c", "x", "yes", "y", "true", "1", "dung"}
_NO = {"khong", "k", "no", "n", "false", "0", "sai", ""}


def parse_yes_no(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    key = normalise_header(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None


_DIFFICULTY = {
    "1": 1,
    "de": 1,
    "easy": 1,
    "nhan biet": 1,
    "2": 2,
    "trung binh": 2,
    "tb": 2,
    "medium": 2,
    "thong hieu": 2,
    "3": 3,
    "kho": 3,
    "hard": 3,
    "van dung": 3,
    "van dung cao": 3,
}


def parse_difficulty(value) -> int | None:
    """1-3, or the words teachers use: Dễ/Trung bình/Khó, or the MOET levels
    Nhận biết/Thông hiểu/Vận dụng (cao)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if value in (1, 2, 3) else None
    return _DIFFICULTY.get(normalise_header(value))


_LANGUAGE = {"vi": "vi", "tieng viet": "vi", "vietnamese": "vi", "en": "en", "tieng anh": "en", "english": "en"}


def parse_language(value) -> str | None:
    key = normalise_header(value)
    return _LANGUAGE.get(key) or _LANGUAGE.get(key.split("-")[0].split("_")[0])


def parse_seconds(value) -> int | None:
    """Whole seconds from 20, 20.0, "20", "20 giây" or "20 sec"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else None
    match = re.fullmatch(r"\s*(\d+)\s*(s|sec|secs|seconds?|giay|gi)?\s*", normalise_header(value))
    return int(match.group(1)) if match else None
