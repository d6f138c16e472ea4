"""DESIGN invariant 4: student_payload never carries correctness, answers or explanations."""

import json

import pytest

from core.errors import ValidationFailed
from quizbank.presentation import reveal_payload, student_payload
from tests.quizbank import factories as f

pytestmark = pytest.mark.django_db

SECRET_EXPLANATION = "Giải thích bí mật: Quyết định 505/QĐ-TTg"
ALL_TYPES = [
    f.single(explanation=SECRET_EXPLANATION),
    f.multiple(partial=True, weights=[0.5, 0.25, -1.0, 0.25], explanation=SECRET_EXPLANATION),
    f.truefalse(explanation=SECRET_EXPLANATION),
    f.short(accepted=["Zalo-bí-mật"], explanation=SECRET_EXPLANATION),
    f.numeric(value=98765, tolerance=3, explanation=SECRET_EXPLANATION),
    f.ordering(explanation=SECRET_EXPLANATION),
]


def _keys(obj) -> set[str]:
    if isinstance(obj, dict):
        return set(obj) | {k for v in obj.values() for k in _keys(v)}
    if isinstance(obj, list):
        return {k for v in obj for k in _keys(v)}
    return set()


@pytest.mark.parametrize("content", ALL_TYPES, ids=lambda c: c["qtype"])
def test_student_payload_has_no_correctness(content):
    v = f.make(content=content).current_version
    payload = student_payload(v, choice_order=None)
    text = json.dumps(payload, ensure_ascii=False)
    assert not _keys(payload) & {"correct", "weight", "answer", "accepted", "explanation", "explanation_html", "value"}
    assert "bí mật" not in text
    assert "98765" not in text and "Zalo" not in text
    assert set(payload) == {"id", "question_id", "type", "language", "stem_html", "choices", "image", "time_limit_s"}
    assert payload["type"] == content["qtype"]
    for choice in payload["choices"]:
        # A true/false choice says which statement it is ("truth"), never whether it is right.
        assert set(choice) == ({"id", "html", "truth"} if content["qtype"] == "truefalse" else {"id", "html"})


def test_student_payload_follows_the_given_choice_order():
    v = f.make(content=f.single()).current_version
    payload = student_payload(v, choice_order=["c3", "c1", "c0", "c2"])
    assert [c["id"] for c in payload["choices"]] == ["c3", "c1", "c0", "c2"]
    assert payload["choices"][0]["html"] == "20/11"
    with pytest.raises(ValidationFailed):
        student_payload(v, choice_order=["c3", "c1"])


def test_ordering_without_an_order_does_not_show_the_answer():
    # Fresh ids are random; over several questions the fallback order must not always be
    # the answer (four items: the chance of matching by luck is 1/24 per question).
    orders = []
    for i in range(6):
        content = f.ordering(stem=f"Sắp xếp lần {i}")
        for c in content["choices"]:
            c.pop("id")
        v = f.make(content=content).current_version
        shown = [c["id"] for c in student_payload(v, choice_order=None)["choices"]]
        assert sorted(shown) == sorted(v.choice_ids())
        orders.append(shown == v.choice_ids())
    assert not all(orders)


def test_markdown_is_rendered_and_sanitised():
    content = f.single(
        stem="**Chú ý** <script>alert('x')</script><img src=x onerror=alert(1)> [link](javascript:alert(1))"
    )
    content["choices"][0]["text"] = "<b onclick='steal()'>A</b> <style>body{}</style>"
    v = f.make(content=content).current_version
    payload = student_payload(v)
    html = payload["stem_html"] + payload["choices"][0]["html"]
    assert "<strong>Chú ý</strong>" in payload["stem_html"]
    assert "<script" not in html and "alert('x')" not in html  # the tag and its content are gone
    assert "onerror" not in html and "onclick" not in html
    assert "href" not in html  # the javascript: link stays plain text, never a link
    assert "steal" not in html and "<style" not in html and "body{}" not in html
    assert payload["choices"][0]["html"] == "<b>A</b>"


def test_images_are_allowed_from_http_and_site_urls():
    v = f.make(
        content=f.single(
            stem="Xem hình ![mã QR](https://example.org/qr.png) và ![b](/media/a.png) ![c](data:image/png;base64,AAAA)"
        )
    ).current_version
    html = student_payload(v)["stem_html"]
    assert '<img src="https://example.org/qr.png" alt="mã QR">' in html
    assert '<img src="/media/a.png" alt="b">' in html
    assert "data:" not in html


@pytest.mark.parametrize(
    ("content", "correct"),
    [
        (f.single(correct=2), {"choice": "c2"}),
        (f.multiple(), {"choices": ["m0", "m1", "m3"]}),
        (f.truefalse(true=False), {"choice": "false"}),
        (f.short(accepted=["VNeID", "ứng dụng VNeID"]), {"text": "VNeID", "accepted": ["VNeID", "ứng dụng VNeID"]}),
        (f.numeric(value=111, tolerance=0.5), {"value": 111.0, "tolerance": 0.5}),
        (f.ordering(), {"order": ["o0", "o1", "o2", "o3"]}),
    ],
    ids=lambda x: x.get("qtype", "") if isinstance(x, dict) else "",
)
def test_reveal_payload(content, correct):
    v = f.make(content={**content, "explanation": "Vì **lý do** này."}).current_version
    payload = reveal_payload(v)
    assert payload["correct"] == correct
    assert payload["explanation_html"] == "<p>Vì <strong>lý do</strong> này.</p>"
