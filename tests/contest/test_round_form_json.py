"""The round form's JSON field (the draw rules) refuses JSON nested too deep with a field
error, not a 500. Scoring options are typed inputs now (contest/forms_scoring.py)."""

import pytest

from contest.forms import RoundForm

DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize("field", ["draw_spec"])
def test_deeply_nested_json_is_a_field_error(field):
    form = RoundForm(data={field: DEEP})
    form.is_valid()
    assert field in form.errors
