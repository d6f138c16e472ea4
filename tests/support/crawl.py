"""Walk a site's pages in Chromium as one user, and record every Content-Security-Policy
violation the browser reports.

The walk follows same-origin links breadth first, and visits each page *view* (Django's URL
pattern, not each URL) once: a page with a thousand questions is one page. Downloads and the
logout link are not followed.
"""

import os
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

# Recorded in the page before any of its own scripts run.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
                     line: e.lineNumber, sample: e.sample});
});
"""
SKIP_SUFFIXES = (".pdf", ".xlsx", ".csv", ".zip", ".json", ".txt", ".xml", ".gift", ".png", ".svg")
SKIP_PREFIXES = ("/accounts/logout/", "/static/", "/media/", "/api/", "/jsi18n/", "/i18n/")


@dataclass
class Walk:
    visited: dict = field(default_factory=dict)  # view name -> URL
    violations: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (url, status)
    policies: dict = field(default_factory=dict)  # path -> Content-Security-Policy header


def view_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match._func_path


def _follow(path: str) -> bool:
    if path == "/api/docs/":
        return True
    return not path.startswith(SKIP_PREFIXES) and not path.lower().endswith(SKIP_SUFFIXES)


def walk(page, base: str, starts: list[str], *, limit: int = 80, settle_ms: int = 200, allow=None) -> Walk:
    """``allow(view_name)`` may leave views out (the admin's hundred forms, say)."""
    page.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    result = Walk()
    queue = list(starts)
    seen_urls = set()
    while queue and len(result.visited) < limit:
        url = urljoin(base, queue.pop(0))
        parts = urlsplit(url)
        path = parts.path
        name = view_name(path)
        if url in seen_urls or name is None or name in result.visited or not _follow(path):
            continue
        if allow is not None and not allow(name):
            continue
        seen_urls.add(url)
        console.clear()
        response = page.goto(url, wait_until="load")
        page.wait_for_timeout(settle_ms)
        status = response.status if response else 0
        if status >= 400:
            result.errors.append((path, status))
            continue
        # A redirect (to the login page, say) counts for the page it landed on.
        landed = urlsplit(page.url).path
        name = view_name(landed) or name
        if name in result.visited and landed != path:
            continue
        result.visited[name] = landed
        result.policies[landed] = response.headers.get("content-security-policy", "")
        if os.environ.get("CRAWL_SCREENSHOTS"):  # a directory: one PNG per page, to look at
            shot = name.replace(":", "-") + ".png"
            page.screenshot(path=os.path.join(os.environ["CRAWL_SCREENSHOTS"], shot), full_page=True)
        found = page.evaluate("window.__csp")
        result.violations += [{"page": landed, **v} for v in found]
        result.violations += [{"page": landed, "console": text} for text in console]
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            target = urlsplit(href)
            if target.netloc == parts.netloc and href not in seen_urls:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return result
