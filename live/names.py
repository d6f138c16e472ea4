"""Nicknames: cleaning, a per-game uniqueness key, and a filter for offensive words.

The filter is a floor, not a guarantee (the host can still kick a player). It catches the
usual Vietnamese and English insults, written with or without accents, with spaces, dots or
repeated letters in between, and in simple leetspeak ("d1t", "f*ck"). Short Vietnamese words
that are insults only with their accents ("lồn", "cặc", "đéo") are matched with accents or
as a whole nickname, so ordinary names ("Long", "Các bạn", "Đeo kính") pass.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from core.text import unaccent

MAX_NAME = 24
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})

# Matched anywhere in the accent-free nickname with separators removed (distinctive enough).
_ANYWHERE = (
    "ditme", "ditmia", "ditcon", "dumami", "dumemay", "dmm", "dcm", "dkm", "vcl", "vkl", "clgt",
    "fuck", "shit", "bitch", "cunt", "nigg", "whore", "slut", "porn", "asshole", "motherf", "pussy", "penis",
    "vagina", "hitler",
)  # fmt: skip
# Matched as words of the accent-free nickname.
_PHRASES = (
    "dit me", "du ma", "du me", "con cac", "con lon", "oc cho", "oc lon", "thang ngu", "do ngu", "do cho",
    "an cut", "cho chet",
)  # fmt: skip
_WORDS = {
    "dit", "djt", "dm", "vl", "cl", "cmm", "du", "lon", "cac", "buoi", "deo", "di", "cave", "ngu", "sex",
    "fck", "fk", "wtf", "stfu", "cock", "fag", "tits", "boobs", "xxx", "dick", "rape", "nazi", "bastard",
}  # fmt: skip
# Insults only with these accents; without accents they are ordinary words ("lớn", "các",
# "đeo", "đi", "Ngư"), refused only when typed bare as the whole nickname.
_ACCENTED = {"địt", "đụ", "lồn", "cặc", "buồi", "đéo", "đĩ"}
_AMBIGUOUS = {"du", "lon", "cac", "deo", "di", "ngu"}
_PUNCT = ".,!?-_*'\"()[]"


def _collapse(text: str) -> str:
    return re.sub(r"(.)\1+", r"\1", text)


def is_offensive(name: str) -> bool:
    plain = unaccent(name).translate(_LEET)
    letters = re.sub(r"[^a-z]", "", plain)
    collapsed = _collapse(letters)
    if any(bad in letters or bad in collapsed for bad in _ANYWHERE):
        return True
    words = [_collapse(w) for w in re.findall(r"[a-z]+", plain)]
    joined = f" {' '.join(words)} "
    if any(f" {phrase} " in joined for phrase in _PHRASES):
        return True
    typed = unicodedata.normalize("NFC", name).lower()
    if {w.strip(_PUNCT) for w in typed.split()} & _ACCENTED:
        return True
    for whole in {letters, collapsed}:
        if whole in _WORDS and (whole not in _AMBIGUOUS or unaccent(typed) == typed):
            return True
    return any(w in _WORDS and w not in _AMBIGUOUS for w in words)


def clean_nickname(raw) -> str:
    """The nickname as shown, or ``ValidationFailed`` (empty, too long, offensive)."""
    name = " ".join(unicodedata.normalize("NFC", str(raw or "")).split())
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    if not name:
        raise ValidationFailed(_("Hãy nhập biệt danh."), code="name_required", fields={"nickname": [_("Bắt buộc.")]})
    if len(name) > MAX_NAME:
        raise ValidationFailed(
            _("Biệt danh tối đa %(n)s ký tự.") % {"n": MAX_NAME},
            code="name_too_long",
            fields={"nickname": [_("Quá dài.")]},
        )
    if not any(ch.isalnum() for ch in name):
        raise ValidationFailed(
            _("Biệt danh cần có chữ hoặc số."), code="name_invalid", fields={"nickname": [_("Không hợp lệ.")]}
        )
    if is_offensive(name):
        raise ValidationFailed(
            _("Biệt danh này không phù hợp. Hãy chọn tên khác."),
            code="name_offensive",
            fields={"nickname": [_("Không phù hợp.")]},
        )
    return name


def name_key(name: str) -> str:
    """Two nicknames that differ only in case, accents or spacing are the same player name."""
    return " ".join(unaccent(name).split())[:60]
