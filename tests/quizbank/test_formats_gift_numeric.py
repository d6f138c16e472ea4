"""Every numeric-answer form of Moodle's GIFT format (issue #11 item 4), read as Moodle reads it,
and the command line's dry run reporting ``created``."""

import io
import json

import pytest
from django.core.management import call_command

from quizbank.formats import parse
from quizbank.models import Question


def _one(text: str):
    result = parse(text.encode(), filename="q.gift")
    return result


@pytest.mark.parametrize(
    ("answers", "value", "tolerance"),
    [
        ("#3", 3.0, 0.0),
        ("#3:2", 3.0, 2.0),
        ("#1..5", 3.0, 2.0),
        ("#-2.5:0.5", -2.5, 0.5),
        ("#3:2~#Completely wrong", 3.0, 2.0),  # the construct Moodle's docs show
        ("#=3:2#Đúng rồi!~#Sai hoàn toàn", 3.0, 2.0),
        ("#=1822:0 =%50%1822:2", 1822.0, 0.0),  # a partial-credit answer is dropped (warned)
        ("#=%100%1822:0#Chính xác =%50%1820..1824#Gần đúng ~%0%1000#Quá xa", 1822.0, 0.0),
        ("#=3.1:0.1 =3.15:0.05", 3.1, 0.1),  # the wider full-credit answer holds the other
        ("#=1..2 =2..3", 2.0, 1.0),  # overlapping full-credit answers are joined
        ("#\n=3:2\n~#Sai\n", 3.0, 2.0),  # one answer a line, as Moodle exports them
    ],
)
def test_every_numeric_form(answers, value, tolerance):
    result = _one(f"::Số::Bao nhiêu? {{{answers}}}\n")
    assert result.errors == []
    [q] = result.items
    assert q.qtype == "numeric"
    assert q.answer == {"value": value, "tolerance": tolerance}


def test_partial_answers_are_dropped_with_a_warning():
    result = _one("::Số::Năm? {#=1822:0 =%50%1822:2}\n")
    assert [w.message for w in result.warnings] == [
        "Đáp án được một phần điểm không được nhập; chỉ giữ các đáp án đúng hoàn toàn."
    ]


@pytest.mark.parametrize("answers", ["#ba mươi", "#=%50%3", "#=1..2 =5..6", "#3:x"])
def test_what_is_not_a_numeric_key_is_refused_by_line(answers):
    result = _one(f"::Số::Bao nhiêu? {{{answers}}}\n")
    assert result.items == [] and [e.line for e in result.errors] == [1]


@pytest.mark.django_db
def test_dry_run_reports_created_and_saves_nothing(tmp_path):
    path = tmp_path / "so.gift"
    path.write_text("::A::Một? {#3:2~#Completely wrong}\n\n::B::Hai? {#=1..5 =%50%6}\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_questions", str(path), "--dry-run", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["dry_run"] is True and summary["created"] == 2 and summary["errors"] == []
    assert Question.objects.count() == 0
    out = io.StringIO()
    call_command("import_questions", str(path), stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["dry_run"] is False and summary["created"] == 2 and Question.objects.count() == 2
