"""Demo data of the question bank: the official demo bank in ``demo_bank/bank.json``.

Loaded as approved questions of the official bank, with their English twins linked by
``translation_of``. Idempotent: each item has a stable key (``external_key`` "demo:<key>",
"demo:<key>:en"); a second run updates what changed and creates nothing twice.
"""

import json
from pathlib import Path

from django.db import transaction

from quizbank.content import clean_content, fingerprint
from quizbank.models import OwnerKind, Question, Topic
from quizbank.scope import Bank
from quizbank.services import question_create, question_update

BANK_FILE = Path(__file__).resolve().parent / "demo_bank" / "bank.json"
OFFICIAL = Bank("official", "official", OwnerKind.OFFICIAL)
CONTENT_KEYS = (
    "qtype",
    "stem",
    "choices",
    "answer",
    "partial_credit",
    "difficulty",
    "language",
    "explanation",
    "source",
)


def _content(item: dict, *, base: dict | None = None) -> dict:
    merged = {**(base or {}), **item}
    return {k: merged.get(k) for k in CONTENT_KEYS if merged.get(k) is not None}


def _upsert(key: str, content: dict, *, topics, tags, translation_of=None) -> tuple[Question, bool]:
    existing = Question.objects.filter(external_key=key, owner_kind=OwnerKind.OFFICIAL).first()
    if existing is None:
        q = question_create(
            user=None,
            bank=OFFICIAL,
            content=content,
            topics=topics,
            tags=tags,
            status="approved",
            allow_duplicate=True,
            external_key=key,
            translation_of=translation_of,
        )
        return q, True
    if existing.fingerprint != fingerprint(clean_content(content)) or existing.tags != tags:
        question_update(user=None, question=existing, content=content, topics=topics, tags=tags, allow_duplicate=True)
    return existing, False


def load_bank(path: Path = BANK_FILE) -> dict:
    """Load or refresh the demo bank; returns counts. A missing file loads nothing."""
    if not path.exists():
        return {"created": 0, "total": 0, "missing": True}
    items = json.loads(path.read_text(encoding="utf-8"))
    topics = {t.slug: t for t in Topic.objects.all()}
    created = total = 0
    with transaction.atomic():
        for item in items:
            topic = [topics[item["topic"]]] if item.get("topic") in topics else []
            tags = list(item.get("tags") or [])
            vi, made = _upsert(f"demo:{item['key']}", _content(item), topics=topic, tags=tags)
            created += made
            total += 1
            if item.get("en"):
                en = item["en"]
                content = _content(
                    en, base={"difficulty": item.get("difficulty"), "partial_credit": item.get("partial_credit")}
                )
                _q, made = _upsert(
                    f"demo:{item['key']}:en",
                    content,
                    topics=topic,
                    tags=list(en.get("tags") or tags),
                    translation_of=vi,
                )
                created += made
                total += 1
    return {"created": created, "total": total, "missing": False}


def seed(out) -> None:
    result = load_bank()
    if result["missing"]:
        out.write("  quizbank: demo_bank/bank.json not found, no demo questions loaded")
        return
    out.write(f"  quizbank: {result['total']} demo questions ({result['created']} new) in the official bank")
