"""quizbank.demo: the official demo bank loads as approved questions, idempotently."""

import io
import json

import pytest

from quizbank import demo
from quizbank.models import Question

pytestmark = pytest.mark.django_db


def test_seed_loads_the_demo_bank_once():
    items = json.loads(demo.BANK_FILE.read_text(encoding="utf-8"))
    twins = sum(1 for i in items if i.get("en"))
    out = io.StringIO()
    demo.seed(out)
    assert Question.objects.count() == len(items) + twins
    assert set(Question.objects.values_list("owner_kind", "status")) == {("official", "approved")}
    assert Question.objects.filter(language="en", translation_of__isnull=False).count() == twins
    assert not Question.objects.filter(topics__isnull=True).exists()  # every topic slug is known
    assert f"{len(items) + twins} demo questions" in out.getvalue()
    demo.seed(io.StringIO())
    assert Question.objects.count() == len(items) + twins  # nothing twice


def test_seed_updates_a_changed_item(tmp_path):
    item = {
        "key": "thu-001",
        "qtype": "single",
        "stem": "Ngày Chuyển đổi số quốc gia là ngày nào?",
        "choices": [{"text": "10/10", "correct": True}, {"text": "2/9", "correct": False}],
        "answer": {},
        "difficulty": 1,
        "language": "vi",
        "explanation": "",
        "source": "Quyết định 505/QĐ-TTg",
        "topic": "chinh-sach-cds",
        "tags": [],
    }
    path = tmp_path / "bank.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    assert demo.load_bank(path)["created"] == 1
    item["choices"].append({"text": "20/11", "correct": False})
    path.write_text(json.dumps([item]), encoding="utf-8")
    assert demo.load_bank(path)["created"] == 0
    q = Question.objects.get(external_key="demo:thu-001")
    assert [c["text"] for c in q.current_version.choices] == ["10/10", "2/9", "20/11"]


def test_missing_file_is_tolerated(tmp_path):
    assert demo.load_bank(tmp_path / "none.json") == {"created": 0, "total": 0, "missing": True}
