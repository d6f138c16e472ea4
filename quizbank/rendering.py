"""Markdown to safe HTML for stems, choices and explanations.

markdown-it-py renders a CommonMark subset (tables and strikethrough on; raw HTML passed
through because Moodle and QTI imports carry HTML), then nh3 keeps only an allow-list of
tags and attributes: no scripts or styles (their content is dropped too), no event handlers,
no ``javascript:`` or ``data:`` URLs. Images are allowed from http(s) and site-relative URLs.
"""

import html
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "del", "sub", "sup", "code", "pre", "kbd",
    "blockquote", "ul", "ol", "li", "hr", "h3", "h4", "h5", "h6", "a", "img", "span",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    return md


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Block Markdown (stems, explanations) as sanitised HTML."""
    if not text:
        return ""
    return sanitise_html(_parser().render(text)).strip()


def render_inline(text: str) -> str:
    """Inline Markdown (a choice: no wrapping paragraph) as sanitised HTML."""
    if not text:
        return ""
    return sanitise_html(_parser().renderInline(text)).strip()


def plain_text(text: str) -> str:
    """The visible text of Markdown/HTML source: for search keys, fingerprints and exports."""
    if not text:
        return ""
    stripped = nh3.clean(_parser().render(text), tags=set(), clean_content_tags={"script", "style"})
    return " ".join(html.unescape(stripped).split())
