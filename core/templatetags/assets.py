"""Template tags for scripts: ES modules with their imports preloaded, the cached JS catalog."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join

from core import jsi18n
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
