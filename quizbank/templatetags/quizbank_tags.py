from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe

from core.templatetags.numbers import ratio_pct
from quizbank.rendering import plain_text, render_markdown

register = template.Library()


@register.filter
def percent(value):
    """0.725 -> "72,5 %" in Vietnamese ("72.5 %" in English), as every page prints it; "—" for no data."""
    return ratio_pct(value)


@register.filter
def decimal2(value):
    if value is None or value == "":
        return "—"
    return floatformat(value, "2g")


@register.filter
def seconds(value):
    if value is None or value == "":
        return "—"
    return f"{floatformat(value, '1g')} s"


@register.filter
def snippet(text, length=140):
    text = plain_text(text or "")
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@register.simple_tag
def selected(value, chosen):
    """' selected' when value is (in) chosen: for <option> tags of multi-valued filters."""
    chosen = chosen if isinstance(chosen, (list, tuple, set)) else [chosen]
    return " selected" if str(value) in {str(c) for c in chosen if c is not None} else ""


@register.filter
def markdown(text):
    """A question's Markdown as sanitised HTML (``render_markdown`` cleans it with nh3)."""
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitised by render_markdown
