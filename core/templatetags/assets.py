"""Template tags for scripts and styles: ES modules with their imports preloaded, the cached JS
catalog, stylesheets whose critical rules are inlined and the rest loaded after the content."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core import jsi18n
from core.critical_css import critical
from core.staticfiles import module_imports

register = template.Library()


@register.simple_tag
def module_script(name: str):
    """``<link rel="modulepreload">`` for each module ``name`` imports, then its ``<script>``.

    The browser then fetches the whole module graph at once rather than in sequence.
    """
    links = format_html_join(
        "", '<link rel="modulepreload" href="{}">', ((static(dep),) for dep in module_imports(name))
    )
    return format_html('{}<script type="module" src="{}"></script>', links, static(name))


@register.simple_tag(takes_context=True)
def jsi18n_script(context):
    """The JS catalog of the page's language, at a URL that changes with the catalogs.

    ``defer`` keeps it ahead of the (deferred) module scripts without blocking the page.
    """
    request = context.get("request")
    language = getattr(request, "LANGUAGE_CODE", None)
    return format_html('<script src="{}" defer></script>', jsi18n.catalog_url(language))


LATE = "assets.late_stylesheets"


@register.simple_tag(takes_context=True)
def stylesheet(context, name: str):
    """In ``<head>``: the critical rules of the stylesheet ``name`` in a ``<style>`` element
    (allowed by its hash in the CSP, core/critical_css.py); the whole file is then linked by
    ``{% late_stylesheets %}`` at the end of ``<body>``, so it does not block the first paint.

    A stylesheet that marks no critical rules is linked here, in ``<head>``, as before.
    """
    css = critical(name)
    if not css:
        return format_html('<link rel="stylesheet" href="{}">', static(name))
    late = context.render_context.setdefault(LATE, [])
    if name not in late:
        late.append(name)
    return format_html("<style>{}</style>", mark_safe(css))  # noqa: S308 - our own file, checked


@register.simple_tag(takes_context=True)
def late_stylesheets(context):
    """``<link rel="stylesheet">`` for every stylesheet named by ``{% stylesheet %}`` so far.

    In ``<body>``, Chromium paints the content above such a link without waiting for it (a
    browser that does wait is no slower than with the link in ``<head>``)."""
    late = context.render_context.get(LATE, [])
    return format_html_join("", '<link rel="stylesheet" href="{}">', ((static(name),) for name in late))
