"""Critical CSS: the rules a page needs for its first paint, inlined in ``<head>``.

A stylesheet marks its critical rules between ``/* critical */`` and ``/* /critical */``
comments (several sections are allowed). ``{% stylesheet 'live/live.css' %}`` (tag library
``assets``) writes those rules, minified, in a ``<style>`` element and links the whole file at
the end of ``<body>`` (``{% late_stylesheets %}``), where it no longer holds up the first paint:
the phone paints with the critical rules one round trip earlier, and the whole file then
applies the same rules again plus the rest (below the fold, dialogs, other states).

The Content-Security-Policy allows no inline style, except these: ``csp_policy()`` adds the
``'sha256-…'`` hash of every critical section of every stylesheet to ``style-src``. The hashes
are computed once per process from the source files (on every call with DEBUG, so an edited
file shows at once), so every HTML page carries the same policy.
"""

import base64
import hashlib
import re
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders

START, END = "/* critical */", "/* /critical */"
SECTION_RE = re.compile(re.escape(START) + r"(.*?)" + re.escape(END), re.S)
COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)


def minify(css: str) -> str:
    """Comments out, whitespace runs to one space, none around braces and semicolons.

    Spaces elsewhere are kept: ``a :hover`` and ``a:hover`` differ.
    """
    css = COMMENT_RE.sub("", css)
    css = re.sub(r"\s+", " ", css)
    return re.sub(r"\s*([{};])\s*", r"\1", css).strip()


def extract(source: str) -> str:
    """The critical sections of a stylesheet's source, minified, in their order ("" if none)."""
    if source.count(START) != source.count(END):
        raise ValueError("unbalanced /* critical */ markers")
    css = minify("".join(SECTION_RE.findall(source)))
    if "</" in css:  # it is written into a <style> element as it is
        raise ValueError("critical CSS may not contain '</'")
    return css


def style_hash(css: str) -> str:
    """The CSP source that allows ``<style>css</style>``: ``'sha256-<base64>'``."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


def _read(name: str) -> str:
    path = finders.find(name)
    if not path:
        raise ValueError(f"no stylesheet {name!r}")
    with open(path, encoding="utf-8") as fh:
        return fh.read()


_critical_cached = cache(lambda name: extract(_read(name)))


def critical(name: str) -> str:
    """The critical CSS of the static stylesheet ``name`` ("" if it marks none)."""
    return extract(_read(name)) if settings.DEBUG else _critical_cached(name)


def _all_hashes() -> tuple[str, ...]:
    """The hash of every stylesheet's critical CSS, over every static file the finders see."""
    hashes = set()
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if not path.endswith(".css"):
                continue
            with storage.open(path) as fh:
                source = fh.read().decode("utf-8")
            if START in source:
                hashes.add(style_hash(extract(source)))
    return tuple(sorted(hashes))


_all_hashes_cached = cache(_all_hashes)


def style_hashes() -> tuple[str, ...]:
    return _all_hashes() if settings.DEBUG else _all_hashes_cached()


def with_style_hashes(policy: str, hashes: tuple[str, ...]) -> str:
    """``policy`` with ``hashes`` added to its ``style-src`` (made from ``default-src`` when the
    policy has none; a policy that restricts neither is returned as it is)."""
    if not policy or not hashes:
        return policy
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    names = [d.split()[0].lower() for d in directives]
    extra = " ".join(hashes)
    if "style-src" in names:
        i = names.index("style-src")
        if "'unsafe-inline'" in directives[i].split():
            return policy  # a hash would switch 'unsafe-inline' off
        directives[i] = f"{directives[i]} {extra}"
    elif "default-src" in names:
        sources = directives[names.index("default-src")].split()[1:]
        directives.append(" ".join(["style-src", *sources, *hashes]))
    else:
        return policy
    return "; ".join(directives)


_policy_cached = cache(lambda policy: with_style_hashes(policy, _all_hashes_cached()))


def csp_policy() -> str:
    """The site's Content-Security-Policy for HTML pages: the setting plus the critical styles."""
    policy = settings.CONTENT_SECURITY_POLICY
    return with_style_hashes(policy, _all_hashes()) if settings.DEBUG else _policy_cached(policy)
