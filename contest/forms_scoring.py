"""The scoring format and its options as a typed, translated form (no JSON, no parameter names).

Every registered format (``contest.scoring``) brings its own ``ConfigField``s; the round form
gets one typed input per option of every format (a number with its bounds, or a checkbox), and
the page shows the selected format's group. Only the selected format's values are read, and
the format itself validates them (its errors land on the inputs).
"""

from django import forms
from django.utils.translation import gettext as _

from contest.scoring import available, get_format
from core.errors import ValidationFailed
from core.exports import number


def field_name(fmt, option) -> str:
    return f"cfg_{fmt.name}__{option.name}"


def _form_field(option, initial):
    common = {"label": option.label, "required": False, "initial": initial}
    if option.kind is bool:
        return forms.BooleanField(**common)
    bounds = {"min_value": option.minimum, "max_value": option.maximum}
    if option.kind is int:
        return forms.IntegerField(**common, **bounds)
    return forms.FloatField(**common, **bounds, widget=forms.NumberInput(attrs={"step": "any"}))


def add_scoring_fields(form: forms.Form, *, selected: str | None, config: dict | None) -> None:
    """One typed input per option of every format; the selected format's starts at ``config``."""
    for fmt in available():
        for option in fmt.fields:
            value = (config or {}).get(option.name, option.default) if fmt.name == selected else option.default
            form.fields[field_name(fmt, option)] = _form_field(option, value)
            if fmt.name == selected:  # the format's own errors name its options
                form.error_aliases[option.name] = field_name(fmt, option)


def scoring_config(form: forms.Form) -> dict:
    """The selected format's options from the cleaned form (empty inputs: the defaults)."""
    fmt = get_format(form.cleaned_data["scoring_format"])
    out = {}
    for option in fmt.fields:
        value = form.cleaned_data.get(field_name(fmt, option))
        out[option.name] = option.default if value is None else value
    return out


def check_scoring(form: forms.Form) -> None:
    """Let the selected format validate its options (from ``clean``), so that its errors land
    on the inputs they are about; the service validates the same way again."""
    if "scoring_format" not in form.cleaned_data:
        return
    if any(name.startswith("cfg_") for name in form.errors):
        return  # a typed input is already wrong
    try:
        get_format(form.cleaned_data["scoring_format"]).validate(scoring_config(form))
    except ValidationFailed as exc:
        for key, messages in exc.fields.items():
            for message in messages:
                form.add_error(form.error_aliases.get(key), message)


def scoring_groups(form: forms.Form) -> list[dict]:
    """For the template: each format with its description and bound option fields."""
    return [{"format": fmt, "fields": [form[field_name(fmt, option)] for option in fmt.fields]} for fmt in available()]


def value_text(option, value) -> str:
    if option.kind is bool:
        return _("Có") if value else _("Không")
    return number(value, 0 if option.kind is int else 2)


def scoring_summary(round_) -> dict:
    """The round's format and options as a person reads them (label, option labels, values)."""
    fmt = get_format(round_.scoring_format)
    config = fmt.validate(round_.scoring_config or {})
    return {
        "label": fmt.label,
        "description": fmt.description,
        "options": [(option.label, value_text(option, config[option.name])) for option in fmt.fields],
    }
