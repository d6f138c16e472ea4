"""The import preview shows each question's choices and which are right (and the accepted
answer of a number question), so a teacher can check the file before confirming."""

import re

import pytest
from django.urls import reverse

from quizbank.models import Question
from tests.quizbank import sheets
from tests.quizbank.test_import import preview

pytestmark = pytest.mark.django_db


def _cell(html: str, n: int) -> str:
    start = html.index(f'data-testid="import-key-{n}"')
    return html[start : html.index("</td>", start)]


def _right(cell: str) -> list[str]:
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r'<li class="qb-right">(.*?) <strong', cell)]


def test_preview_page_shows_choices_and_the_right_ones(client, teacher_a):
    job = preview(teacher_a, sheets.fixed())
    client.force_login(teacher_a)
    html = client.get(reverse("quizbank:import-detail", args=[job.pk])).content.decode()
    single, multiple, vneid, truefalse, number = (_cell(html, n) for n in range(1, 6))
    assert "1/6" in single and "20/11" in single and _right(single) == ["10/10"]
    assert _right(multiple) == ["Mã OTP", "Mật khẩu", "Số thẻ ngân hàng"]
    assert "Tên trường" in multiple
    assert _right(vneid) == ["VNeID"]
    assert _right(truefalse) == ["Đúng"] and "Sai" in truefalse
    assert "Đáp án: <strong>111</strong>" in number
    assert html.count("✓ đúng") == 6
    assert Question.objects.count() == 0  # still only a preview


def test_api_preview_carries_the_key(client, teacher_a):
    job = preview(teacher_a, sheets.fixed())
    client.force_login(teacher_a)
    items = client.get(f"/api/quizbank/imports/{job.pk}/").json()["items"]
    assert [o["correct"] for o in items[0]["key"]["options"]] == [False, True, False, False]
    assert items[4]["key"]["value"] == 111
