"""quizbank.grading.grade for every question type, on versions saved through the services."""

import pytest

from core.errors import ValidationFailed
from quizbank.grading import grade
from tests.quizbank import factories as f

pytestmark = pytest.mark.django_db


def version(content):
    return f.make(content=content).current_version


def test_single_choice():
    v = version(f.single(correct=1))
    g = grade(v, {"choice": "c1"})
    assert (g.correct, g.fraction) == (True, 1.0)
    g = grade(v, {"choice": "c2"})
    assert (g.correct, g.fraction) == (False, 0.0)


def test_truefalse_labels_follow_language():
    v = version(f.truefalse(true=False))
    assert [c["text"] for c in v.choices] == ["Đúng", "Sai"]
    assert grade(v, {"choice": "false"}).correct
    assert not grade(v, {"choice": "true"}).correct
    v_en = version(f.truefalse(stem="Never read an OTP code to a stranger.", language="en"))
    assert [c["text"] for c in v_en.choices] == ["True", "False"]


def test_multiple_all_or_nothing():
    v = version(f.multiple())
    assert grade(v, {"choices": ["m0", "m1", "m3"]}).correct
    assert grade(v, {"choices": ["m3", "m0", "m1"]}).fraction == 1.0  # order does not matter
    g = grade(v, {"choices": ["m0", "m1"]})
    assert (g.correct, g.fraction) == (False, 0.0)
    assert grade(v, {"choices": ["m0", "m1", "m2", "m3"]}).fraction == 0.0
    assert grade(v, {"choices": []}).fraction == 0.0


def test_multiple_partial_credit_default_weights():
    v = version(f.multiple(partial=True))  # 3 correct: +1/3 each, the wrong one -1/3
    assert grade(v, {"choices": ["m0"]}).fraction == pytest.approx(1 / 3, abs=1e-6)
    assert grade(v, {"choices": ["m0", "m1"]}).fraction == pytest.approx(2 / 3, abs=1e-6)
    assert not grade(v, {"choices": ["m0", "m1"]}).correct
    assert grade(v, {"choices": ["m0", "m2"]}).fraction == 0.0
    assert grade(v, {"choices": ["m2"]}).fraction == 0.0  # clamped, never negative
    g = grade(v, {"choices": ["m0", "m1", "m3"]})
    assert (g.correct, g.fraction) == (True, 1.0)
    assert grade(v, {"choices": ["m0", "m1", "m2", "m3"]}).fraction == pytest.approx(2 / 3, abs=1e-6)


def test_multiple_partial_credit_explicit_weights():
    v = version(f.multiple(partial=True, weights=[0.5, 0.25, -1.0, 0.25]))
    assert grade(v, {"choices": ["m0"]}).fraction == 0.5
    assert grade(v, {"choices": ["m0", "m1"]}).fraction == 0.75
    assert grade(v, {"choices": ["m0", "m1", "m2"]}).fraction == 0.0


@pytest.mark.parametrize(
    ("accepted", "ignore", "given", "ok"),
    [
        (["Hà Nội"], False, "Hà Nội", True),
        (["Hà Nội"], False, "  hà   NỘI ", True),  # case and spacing never matter
        (["Hà Nội"], False, "Ha Noi", False),  # accents matter unless the question says otherwise
        (["Hà Nội"], True, "Ha Noi", True),
        (["Hà Nội"], True, "ha noi", True),
        (["Hà Nội"], True, "Hà Nam", False),
        (["Đà Nẵng"], True, "da nang", True),  # đ -> d
        (["VNeID", "ứng dụng VNeID"], False, "vneid", True),
        (["VNeID", "ứng dụng VNeID"], False, "Ứng dụng VNeID", True),
        (["VNeID"], False, "", False),
        (["Hà Nội"], False, "Ha\u0300 Nội", True),  # decomposed Unicode input (NFD) still matches
    ],
)
def test_short_answer(accepted, ignore, given, ok):
    v = version(f.short(accepted=accepted, ignore_accents=ignore))
    g = grade(v, {"text": given})
    assert g.correct is ok
    assert g.fraction == (1.0 if ok else 0.0)


@pytest.mark.parametrize(
    ("value", "tolerance", "given", "ok"),
    [
        (111, 0, 111, True),
        (111, 0, 112, False),
        (111, 0, "111", True),
        (3.5, 0, "3,5", True),  # Vietnamese decimal comma
        (3.5, 0.1, 3.6, True),  # the tolerance bound itself is accepted despite float rounding
        (3.5, 0.1, 3.61, False),
        (3.5, 0.1, 3.39, False),
        (1234.5, 0, "1.234,5", True),
        (0.1 + 0.2, 0, 0.3, True),
    ],
)
def test_numeric_tolerance(value, tolerance, given, ok):
    v = version(f.numeric(value=value, tolerance=tolerance))
    assert grade(v, {"value": given}).correct is ok


def test_ordering():
    v = version(f.ordering())
    assert grade(v, {"order": ["o0", "o1", "o2", "o3"]}).correct
    g = grade(v, {"order": ["o1", "o0", "o2", "o3"]})
    assert (g.correct, g.fraction) == (False, 0.0)


def test_ordering_partial_credit():
    v = version(f.ordering(partial=True))
    assert grade(v, {"order": ["o1", "o0", "o2", "o3"]}).fraction == 0.5
    assert grade(v, {"order": ["o3", "o2", "o1", "o0"]}).fraction == 0.0
    assert grade(v, {"order": ["o0", "o1", "o2", "o3"]}).correct


@pytest.mark.parametrize(
    ("content", "response"),
    [
        (f.single(), None),
        (f.single(), {}),
        (f.single(), {"choice": "nope"}),
        (f.single(), {"choice": 1}),
        (f.single(), {"choices": ["c1"]}),
        (f.multiple(), {"choices": "m0"}),
        (f.multiple(), {"choices": ["m0", "m0"]}),
        (f.multiple(), {"choices": ["zz"]}),
        (f.short(), {"text": 5}),
        (f.numeric(), {"value": "mười"}),
        (f.numeric(), {"value": True}),
        (f.numeric(), {"value": float("nan")}),
        (f.numeric(), {"value": None}),
        (f.ordering(), {"order": ["o0", "o1"]}),
        (f.ordering(), {"order": ["o0", "o0", "o1", "o2"]}),
        (f.ordering(), {"order": "o0,o1,o2,o3"}),
    ],
)
def test_malformed_response_is_a_translated_validation_error(content, response):
    v = version(content)
    with pytest.raises(ValidationFailed) as err:
        grade(v, response)
    assert err.value.code == "bad_response"
    assert str(err.value.message)  # a message, in Vietnamese by default
    assert "response" in err.value.fields


def test_malformed_message_in_english():
    from django.utils import translation

    v = version(f.single())
    with translation.override("en"), pytest.raises(ValidationFailed) as err:
        grade(v, {"choice": "nope"})
    assert "does not exist" in str(err.value.message)


def test_single_with_several_correct_options_accepts_any():
    content = f.single()
    content["choices"][3]["correct"] = True  # Kahoot! "1,3": either is right
    v = version(content)
    assert grade(v, {"choice": "c1"}).correct
    assert grade(v, {"choice": "c3"}).correct
    assert not grade(v, {"choice": "c0"}).correct


def test_single_wrong_option_with_partial_weight():
    content = f.single()
    content["choices"][2]["weight"] = 0.5  # Moodle ~%50%
    content["choices"][0]["weight"] = -1  # a penalty is never applied to a single choice
    v = version(content)
    g = grade(v, {"choice": "c2"})
    assert (g.correct, g.fraction) == (False, 0.5)
    assert grade(v, {"choice": "c0"}).fraction == 0.0
