"""Form widgets that read and write Vietnamese formats in every browser.

``<input type="datetime-local">`` shows the browser's own format ("12/04/2026, 10:08 PM" in
Chromium whatever the page's language), so date-times are two text fields instead: the date
as dd/mm/yyyy and the time as HH:mm, 24-hour. The field still accepts one value under its own
name (ISO or "dd/mm/yyyy HH:mm"), so API clients and scripts post it as before.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%d/%m/%Y"
TIME_FORMAT = "%H:%M"
# What a date-time field accepts: the two fields joined, then the single-value forms.
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class _Typed(str):
    """The two fields joined for parsing, keeping what was typed in each to show it back."""

    parts: tuple[str, str]


class ViDateTimeWidget(forms.MultiWidget):
    template_name = "core/widgets/vi_datetime.html"

    def __init__(self, attrs=None):
        date_attrs = {
            "inputmode": "numeric",
            "placeholder": "dd/mm/yyyy",
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}",
            "autocomplete": "off",
            "size": "10",
            "class": "dt-date",
        }
        time_attrs = {
            "inputmode": "numeric",
            "placeholder": "HH:mm",
            "pattern": r"([01]?\d|2[0-3]):[0-5]\d",
            "autocomplete": "off",
            "size": "5",
            "class": "dt-time",
            "aria-label": _("Giờ (HH:mm, 24 giờ)"),
        }
        super().__init__([forms.TextInput(date_attrs), forms.TextInput(time_attrs)], attrs)

    def id_for_label(self, id_):
        # The field's label names the date input; the time input carries its own aria-label.
        return f"{id_}_0" if id_ else ""

    def decompress(self, value):
        if isinstance(value, _Typed):
            return list(value.parts)
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return [value.strftime(DATE_FORMAT), value.strftime(TIME_FORMAT)]
        if isinstance(value, str) and value.strip():
            parts = value.strip().replace("T", " ").split(" ", 1)
            return [parts[0], parts[1] if len(parts) > 1 else ""]
        return [None, None]

    def format_value(self, value):
        return value

    def value_from_datadict(self, data, files, name):
        if name in data:  # one value: an API client or a script
            return data.get(name)
        date, time = (data.get(f"{name}_{i}", "") or "" for i in (0, 1))
        joined = _Typed(f"{date.strip()} {time.strip()}".strip())
        joined.parts = (date.strip(), time.strip())
        return joined or None

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{i}" not in data for i in (0, 1))


def vi_datetime_field(**kwargs) -> forms.DateTimeField:
    """A date-time form field with the dd/mm/yyyy + HH:mm widget."""
    return forms.DateTimeField(
        widget=ViDateTimeWidget(),
        input_formats=DATETIME_INPUT_FORMATS,
        error_messages={"invalid": _("Nhập ngày dạng dd/mm/yyyy và giờ dạng HH:mm (24 giờ).")},
        **kwargs,
    )
