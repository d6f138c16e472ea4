"""Vietnamese names as the database stores them: search keys and a sortable string.

``core.text.name_sort_key`` is the reference order (given name, then family and middle
names; Đ after D; tones a à ả ã á ạ). Databases cannot order by a Python tuple, so
``name_sort_string`` encodes that key as digits only, which sort the same way byte by byte
and under any PostgreSQL collation (collations may skip punctuation, never digits).
"""

import unicodedata

from core.text import name_sort_key, search_key

_END_OF_WORD = "00"
_FOREIGN = "99"  # digits, punctuation, letters outside the Vietnamese alphabet


def _letter_code(rank: int) -> str:
    # vi_key ranks the 29 Vietnamese letters 0..28 (and foreign characters from 100 up).
    return f"{rank + 1:02d}" if rank < 98 else _FOREIGN


def _encode_words(words: tuple) -> str:
    out = []
    for ranks, tones in words:
        out.append("".join(_letter_code(r) for r in ranks))
        out.append(_END_OF_WORD)
        # Tones only decide between words of equal letters, so equal lengths compare them.
        out.append("".join(str(t) for t in tones))
    return "".join(out)


def name_sort_string(full_name: str) -> str:
    """A string whose plain order equals ``name_sort_key`` order."""
    given, rest = name_sort_key(full_name)
    # A separator below every letter code keeps "An" + family names apart from "Anh".
    return (_encode_words(given) + "0" + _encode_words(rest))[:400]


def clean_name(text: str) -> str:
    """Single-spaced, trimmed, each word capitalised as Vietnamese names are written."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in str(text or "").split())


# Between letters a name may have these (Lê Thị Ngọc-Anh, O'Neil, Ng. Văn A); nothing else.
_NAME_PUNCTUATION = frozenset(" -'’.")


def is_person_name(text: str) -> bool:
    """Whether ``text`` is made of what person names are: letters of any script (Vietnamese
    included, precomposed or with combining marks), spaces, hyphens, apostrophes and periods,
    starting with a letter. Digits, markup, formula signs and control characters are not."""
    text = unicodedata.normalize("NFC", str(text or ""))
    if not text or not unicodedata.category(text[0]).startswith("L"):
        return False
    return all(ch in _NAME_PUNCTUATION or unicodedata.category(ch)[0] in "LM" for ch in text)


__all__ = ["clean_name", "is_person_name", "name_sort_string", "search_key"]
