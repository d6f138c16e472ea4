"""Vietnamese text: slugs, accent-free search keys and collation.

Python's ``sorted()`` puts Đ, Ô, Ơ and Ư after Z, and Django's ``slugify`` drops đ. These
helpers follow Vietnamese dictionary order: letters a ă â b c d đ e ê … ô ơ … u ư …, then, for
words equal in letters, tones in the order none, huyền, hỏi, ngã, sắc, nặng
(a, à, ả, ã, á, ạ).
"""

import re
import unicodedata

from django.utils.text import slugify

_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_LETTER_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
# Combining marks that make a letter (kept) versus marks that make a tone (ranked apart).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve ă, circumflex â ê ô, horn ơ ư
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def unaccent(text: str) -> str:
    """Lower-case text without diacritics, đ mapped to d: the key of accent-free search."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


def search_key(text: str) -> str:
    """Accent-free, lower-case, single-spaced: store it beside a name to search on any DB."""
    return " ".join(unaccent(text).split())


def slugify_vi(text: str) -> str:
    """``slugify`` that keeps đ as d: "Đắk Lắk" -> "dak-lak"."""
    return slugify(text.replace("đ", "d").replace("Đ", "D"))


def _split_letters(word: str) -> tuple[list[str], list[int]]:
    letters: list[str] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONE_RANK:
            if tones:
                tones[-1] = _TONE_RANK[ch]
        elif unicodedata.combining(ch):
            if ch in _LETTER_MARKS and letters:
                letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
        else:
            letters.append(ch)
            tones.append(0)
    return letters, tones


def vi_key(text: str) -> tuple:
    """Sort key for Vietnamese text, word by word: letters first, then tones."""
    key = []
    for word in text.split():
        letters, tones = _split_letters(word)
        ranks = tuple(_LETTER_RANK.get(ch, 100 + ord(ch)) for ch in letters)
        key.append((ranks, tuple(tones)))
    return tuple(key)


def name_sort_key(full_name: str) -> tuple:
    """Class-list order: by given name (the last word), then family and middle names."""
    words = full_name.split()
    if not words:
        return ((), ())
    return (vi_key(words[-1]), vi_key(" ".join(words[:-1])))


def initials_name(full_name: str) -> str:
    """A minor's public name without consent: "Nguyễn Văn Đức" -> "N. V. Đ."."""
    return " ".join(f"{w[0].upper()}." for w in full_name.split() if w)


_SPACES = re.compile(r"\s+")


def normalise_header(text: str) -> str:
    """Match spreadsheet headers whatever their case, spacing and accents."""
    return _SPACES.sub(" ", unaccent(str(text or "")).strip())
