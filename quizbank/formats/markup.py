"""HTML (Moodle, QTI) to the Markdown subset our stems use.

Only what quiz texts need survives: paragraphs, line breaks, bold, italics, code, links and
images on http(s), lists, sub/superscripts (kept as inline HTML, which the renderer
sanitises). Scripts and styles are dropped with their content. Images stored inside the file
(Moodle's @@PLUGINFILE@@, data: URLs, QTI package paths) cannot be kept; the converter
reports them so the parser can warn, and keeps their alt text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from xml.etree.ElementTree import Element

from quizbank.formats.safety import local

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "tr", "ul", "ol", "pre", "section"}
_DROP = {"script", "style", "head", "title", "object", "iframe", "embed", "svg", "math"}
_INLINE_HTML = {"sub", "sup", "u"}
_ESCAPE = re.compile(r"([\\*`<\[\]])")


class MarkdownWriter:
    """Receives start/end/data events (from HTML or from an XML element tree) and writes Markdown."""

    def __init__(self):
        self.parts: list[str] = []
        self.dropping = 0
        self.pre = 0
        self.lists: list[list] = []  # [kind, counter]
        self.links: list[str | None] = []
        self.lost_images = 0

    def start(self, tag: str, attrs: dict) -> None:
        if tag in _DROP:
            self.dropping += 1
        if self.dropping:
            return
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        if tag == "br":
            self.parts.append("\n")
        elif tag in ("strong", "b"):
            self.parts.append("**")
        elif tag in ("em", "i"):
            self.parts.append("*")
        elif tag == "code" and not self.pre:
            self.parts.append("`")
        elif tag == "pre":
            self.pre += 1
            self.parts.append("```\n")
        elif tag in _INLINE_HTML:
            self.parts.append(f"<{tag}>")
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            self._list_item()
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        elif tag == "a":
            href = attrs.get("href") or ""
            self.links.append(href if href.startswith(("http://", "https://")) else None)
            if self.links[-1]:
                self.parts.append("[")
        elif tag == "img":
            self._image(attrs)

    def _list_item(self) -> None:
        kind = self.lists[-1] if self.lists else ["ul", 0]
        kind[1] += 1
        marker = f"{kind[1]}. " if kind[0] == "ol" else "- "
        self.parts.append("\n" + "  " * max(len(self.lists) - 1, 0) + marker)

    def _image(self, attrs: dict) -> None:
        src = attrs.get("src") or ""
        alt = _ESCAPE.sub(r"\\\1", " ".join((attrs.get("alt") or "").split()))
        if src.startswith(("http://", "https://")):
            self.parts.append(f"![{alt}]({src.replace(' ', '%20').replace(')', '%29')})")
        else:
            self.lost_images += 1
            self.parts.append(alt)

    def end(self, tag: str) -> None:
        if tag in _DROP:
            self.dropping = max(self.dropping - 1, 0)
            return
        if self.dropping:
            return
        if tag in ("strong", "b"):
            self.parts.append("**")
        elif tag in ("em", "i"):
            self.parts.append("*")
        elif tag == "code" and not self.pre:
            self.parts.append("`")
        elif tag == "pre":
            self.pre = max(self.pre - 1, 0)
            self.parts.append("\n```")
        elif tag in _INLINE_HTML:
            self.parts.append(f"</{tag}>")
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.parts.append(f"]({href.replace(' ', '%20').replace(')', '%29')})")
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def data(self, text: str) -> None:
        if self.dropping or not text:
            return
        if self.pre:
            self.parts.append(text)
            return
        text = re.sub(r"\s+", " ", text)
        self.parts.append(_ESCAPE.sub(r"\\\1", text))

    def markdown(self) -> str:
        lines, fenced = [], False
        for line in "".join(self.parts).split("\n"):
            if line.strip() == "```":
                fenced = not fenced
            lines.append(line.rstrip() if fenced else line.strip())
        text = "\n".join(lines)
        text = re.sub(r"\*\*(\s*)\*\*", r"\1", text)  # empty bold from <b></b>
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip()


class _HtmlEvents(HTMLParser):
    def __init__(self, writer: MarkdownWriter):
        super().__init__(convert_charrefs=True)
        self.writer = writer

    def handle_starttag(self, tag, attrs):
        self.writer.start(tag, dict(attrs))
        if tag in ("br", "img"):
            self.writer.end(tag)

    def handle_startendtag(self, tag, attrs):
        self.writer.start(tag, dict(attrs))
        self.writer.end(tag)

    def handle_endtag(self, tag):
        if tag not in ("br", "img"):
            self.writer.end(tag)

    def handle_data(self, data):
        self.writer.data(data)


def html_to_markdown(html: str) -> tuple[str, int]:
    """Markdown for an HTML fragment, and how many embedded images had to be left out."""
    writer = MarkdownWriter()
    events = _HtmlEvents(writer)
    events.feed(html or "")
    events.close()
    return writer.markdown(), writer.lost_images


def element_to_markdown(element: Element, *, skip=lambda el: False, include_tail=False) -> tuple[str, int]:
    """Markdown for the content of an XHTML element (QTI itemBody, simpleChoice...).

    ``skip(el)`` leaves out a child element (but not its tail text), e.g. the interaction
    inside an item body.
    """
    writer = MarkdownWriter()

    def walk(el: Element) -> None:
        if el.text:
            writer.data(el.text)
        for child in el:
            if not skip(child):
                writer.start(local(child.tag), {local(k): v for k, v in child.attrib.items()})
                walk(child)
                writer.end(local(child.tag))
            if child.tail:
                writer.data(child.tail)

    walk(element)
    if include_tail and element.tail:
        writer.data(element.tail)
    return writer.markdown(), writer.lost_images
