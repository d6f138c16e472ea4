"""``{{ rate|pct }}`` (a value already times 100) and ``{{ share|ratio_pct }}`` (a
fraction 0-1): every page prints a percentage the same way, "12,9 %" (``core.exports.percent``)."""

from django import template

from core.exports import percent as percent_text

register = template.Library()


@register.filter
def pct(value) -> str:
    return percent_text(value)


@register.filter
def ratio_pct(value) -> str:
    if value is None or value == "":
        return percent_text(None)
    return percent_text(float(value) * 100)
