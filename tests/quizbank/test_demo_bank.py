"""The official demo bank (quizbank/demo_bank/bank.json): shape, spread and internal consistency.

Pure JSON checks, no database: the bank must load into the quizbank whatever its loader does,
so every rule the contract states for a QuestionVersion is checked here item by item.
"""

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

BANK_DIR = Path(__file__).resolve().parents[2] / "quizbank" / "demo_bank"
BANK = json.loads((BANK_DIR / "bank.json").read_text(encoding="utf-8"))

MIN_QUESTIONS = 160
MIN_ENGLISH = 45
MIN_PER_TOPIC = 8
TOPICS = {
    "chinh-sach-cds",
    "chinh-phu-so",
    "kinh-te-so",
    "xa-hoi-so",
    "cong-nghe-so",
    "ky-nang-so-du-lieu",
    "ky-nang-so-giao-tiep",
    "ky-nang-so-noi-dung",
    "ky-nang-so-an-toan",
    "ky-nang-so-giai-quyet-van-de",
    "ky-nang-so-ai",
    "an-toan-mang",
    "kinh-doanh-so",
}
QTYPES = {"single", "multiple", "truefalse", "short", "numeric", "ordering"}
CHOICE_TYPES = {"single", "multiple", "truefalse", "ordering"}
TRUEFALSE_LABELS = {"vi": ["Đúng", "Sai"], "en": ["True", "False"]}

# Dates of the documents the bank cites; every "<number> ngày <date>" in the bank must agree.
DOCUMENT_DATES = {
    "749/QĐ-TTg": "03/6/2020",
    "505/QĐ-TTg": "22/4/2022",
    "411/QĐ-TTg": "31/3/2022",
    "146/QĐ-TTg": "28/01/2022",
    "06/QĐ-TTg": "06/01/2022",
    "874/QĐ-BTTTT": "17/6/2021",
    "57-NQ/TW": "22/12/2024",
    "02/2025/TT-BGDĐT": "24/01/2025",
    "13/2023/NĐ-CP": "17/4/2023",
    "69/2024/NĐ-CP": "25/6/2024",
}


def _key(item) -> str:
    return item.get("key") or item["stem"][:40]


def _norm(text: str) -> str:
    """Case-, accent- and punctuation-free form of a stem, for duplicate detection."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)).lower()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def _has_vietnamese_marks(text: str) -> bool:
    return any(ch in "đĐ" or len(unicodedata.normalize("NFD", ch)) > 1 for ch in text)


def _non_ascii_letter_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum(1 for ch in letters if not ch.isascii()) / max(1, len(letters))


def _texts(item):
    yield item["stem"]
    yield item["explanation"]
    yield item["source"]
    for choice in item.get("choices", []):
        yield choice["text"]


def _check_content(item, language: str) -> None:
    """The rules every version of a question obeys, in either language."""
    qtype = item["qtype"]
    assert qtype in QTYPES
    assert item["stem"].strip()
    assert item["explanation"].strip(), "explanation is required"
    assert item["source"].strip(), "source is required"
    assert len(item["source"]) <= 500
    assert isinstance(item.get("tags"), list)
    assert all(isinstance(t, str) and t.strip() for t in item["tags"])
    choices = item.get("choices", [])
    answer = item.get("answer", {})
    if qtype in CHOICE_TYPES:
        texts = [c["text"].strip() for c in choices]
        assert all(texts), "empty choice"
        assert len(set(texts)) == len(texts), "duplicate choice"
        assert all(isinstance(c["correct"], bool) for c in choices)
        assert answer == {}
    else:
        assert choices == []
    n_correct = sum(1 for c in choices if c["correct"])
    if qtype == "single":
        assert len(choices) == 4
        assert n_correct == 1
    elif qtype == "multiple":
        assert 4 <= len(choices) <= 6
        assert n_correct >= 2
        assert n_correct < len(choices), "a multiple-choice item needs a wrong option"
    elif qtype == "truefalse":
        assert [c["text"] for c in choices] == TRUEFALSE_LABELS[language]
        assert n_correct == 1
    elif qtype == "ordering":
        assert 3 <= len(choices) <= 6
        assert all(c["correct"] for c in choices)
    elif qtype == "numeric":
        assert set(answer) == {"value", "tolerance"}
        assert isinstance(answer["value"], int | float) and not isinstance(answer["value"], bool)
        assert isinstance(answer["tolerance"], int | float) and answer["tolerance"] >= 0
    elif qtype == "short":
        accepted = answer.get("accepted")
        assert isinstance(accepted, list) and accepted
        assert all(isinstance(a, str) and a.strip() for a in accepted)
        assert isinstance(answer.get("ignore_accents"), bool)


def test_bank_size_and_english_twins():
    assert len(BANK) >= MIN_QUESTIONS
    assert sum(1 for item in BANK if item.get("en")) >= MIN_ENGLISH


def test_keys_are_unique():
    keys = [item.get("key") for item in BANK]
    assert all(isinstance(k, str) and re.fullmatch(r"[a-z-]+-\d{3}", k) for k in keys)
    assert len(set(keys)) == len(keys)


def test_every_topic_slug_is_known_and_each_topic_is_covered():
    counts = Counter(item["topic"] for item in BANK)
    assert set(counts) == TOPICS
    thin = {topic: n for topic, n in counts.items() if n < MIN_PER_TOPIC}
    assert not thin


def test_difficulties_follow_roughly_40_40_20():
    counts = Counter(item["difficulty"] for item in BANK)
    assert set(counts) == {1, 2, 3}
    share = {d: counts[d] / len(BANK) for d in counts}
    assert 0.30 <= share[1] <= 0.50
    assert 0.30 <= share[2] <= 0.50
    assert 0.12 <= share[3] <= 0.28


def test_question_types_are_mixed_and_mostly_single():
    counts = Counter(item["qtype"] for item in BANK)
    assert set(counts) == QTYPES
    assert counts["single"] > len(BANK) / 2


@pytest.mark.parametrize("item", BANK, ids=_key)
def test_vietnamese_item_is_valid(item):
    assert item["language"] == "vi"
    assert item["difficulty"] in (1, 2, 3)
    _check_content(item, "vi")
    assert _has_vietnamese_marks(item["stem"]), "Vietnamese stem without diacritics"
    assert _has_vietnamese_marks(item["explanation"])


@pytest.mark.parametrize("item", [i for i in BANK if i.get("en")], ids=_key)
def test_english_twin_mirrors_the_vietnamese_item(item):
    twin = item["en"]
    assert twin["language"] == "en"
    assert twin["qtype"] == item["qtype"]
    _check_content(twin, "en")
    assert _non_ascii_letter_share(twin["stem"]) < 0.15, "English stem looks untranslated"
    assert _non_ascii_letter_share(twin["explanation"]) < 0.15
    # Same answer: same number of choices and the correct ones in the same places.
    assert [c["correct"] for c in twin.get("choices", [])] == [c["correct"] for c in item.get("choices", [])]
    if item["qtype"] == "numeric":
        assert twin["answer"] == item["answer"]


def test_no_duplicate_stems():
    for language, stems in (
        ("vi", [item["stem"] for item in BANK]),
        ("en", [item["en"]["stem"] for item in BANK if item.get("en")]),
    ):
        dupes = [s for s, n in Counter(_norm(s) for s in stems).items() if n > 1]
        assert not dupes, f"duplicate {language} stems: {dupes}"


def test_cited_document_dates_agree():
    """A document cited with a date carries the same date everywhere in the bank."""
    pattern = re.compile(r"(\S+)\s+ngày\s+(\d{1,2}/\d{1,2}/\d{4})")
    wrong = []
    for item in BANK:
        for text in _texts(item):
            for number, date in pattern.findall(text):
                expected = DOCUMENT_DATES.get(number)
                if expected and date != expected:
                    wrong.append((_key(item), number, date))
    assert not wrong


def test_readme_lists_sources():
    readme = (BANK_DIR / "README.md").read_text(encoding="utf-8")
    for number in DOCUMENT_DATES:
        if any(number in item["source"] for item in BANK):
            assert number in readme, f"{number} is cited but not listed in README.md"
