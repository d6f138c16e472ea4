from django import template
from django.utils.safestring import mark_safe

from quizbank.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """A question's Markdown as sanitised HTML (``render_markdown`` cleans it with nh3)."""
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitised by render_markdown
