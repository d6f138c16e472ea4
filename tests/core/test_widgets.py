"""Date-time fields read and write dd/mm/yyyy + HH:mm (24-hour), whatever the browser's
locale; a single value (ISO, or "dd/mm/yyyy HH:mm") is still accepted from scripts."""

import datetime

import pytest
from django import forms
from django.utils import timezone

from core.widgets import vi_datetime_field


class When(forms.Form):
    at = vi_datetime_field(label="Lúc")


def test_renders_two_text_fields_in_vietnamese_format():
    tz = timezone.get_current_timezone()
    value = datetime.datetime(2026, 12, 4, 22, 8, tzinfo=tz)
    html = str(When(initial={"at": value})["at"])
    assert 'name="at_0"' in html and 'value="04/12/2026"' in html
    assert 'name="at_1"' in html and 'value="22:08"' in html
    assert "datetime-local" not in html and "PM" not in html


@pytest.mark.parametrize(
    "data",
    [
        {"at_0": "04/12/2026", "at_1": "22:08"},
        {"at_0": " 4/12/2026 ", "at_1": "22:08"},
        {"at": "2026-12-04T22:08"},
        {"at": "04/12/2026 22:08"},
    ],
)
def test_reads_the_two_fields_or_one_value(data):
    form = When(data=data)
    assert form.is_valid(), form.errors
    local = timezone.localtime(form.cleaned_data["at"])
    assert (local.day, local.month, local.year, local.hour, local.minute) == (4, 12, 2026, 22, 8)


@pytest.mark.parametrize(
    "data",
    [
        {"at_0": "31/02/2026", "at_1": "10:00"},
        {"at_0": "04/12/2026", "at_1": "10:08 PM"},
        {"at_0": "04/12/2026", "at_1": "24:00"},
        {"at_0": "04/12/2026", "at_1": ""},
        {"at_0": "12/04/2026, 10:08 PM", "at_1": ""},
    ],
)
def test_bad_input_is_a_clear_error(data):
    form = When(data=data)
    assert not form.is_valid()
    assert form.errors["at"] == ["Nhập ngày dạng dd/mm/yyyy và giờ dạng HH:mm (24 giờ)."]
    # The page shows back what was typed, to be corrected.
    assert f'value="{data["at_0"].strip()}"' in str(form["at"])
