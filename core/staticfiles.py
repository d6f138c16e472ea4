"""Static files for cheap phones: hashed names, precompressed copies, module preloads.

``StaticStorage`` is WhiteNoise's manifest storage (hashed names, ``.gz`` and ``.br`` copies)
that also rewrites the ``import ... from "..."`` paths inside ES modules, so a module imports
the hashed, immutable copy of its neighbours.

``module_imports`` lists the static names an ES module imports, directly or through its
imports, so a page can announce them all with ``<link rel="modulepreload">`` and the browser
fetches them side by side instead of one round trip after another.
"""

import posixpath
import re
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True


# Static imports and re-exports: `import x from "./a.js"`, `import "./a.js"`, `export ... from`.
IMPORT_RE = re.compile(r"""(?:^|[;\s])(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?["']([^"']+)["']""", re.M)


def _resolve(importer: str, spec: str) -> str | None:
    """The static name that ``spec``, imported from the static file ``importer``, points to."""
    if spec.startswith(settings.STATIC_URL):
        return spec[len(settings.STATIC_URL) :]
    if spec.startswith(("./", "../")):
        return posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
    return None  # a bare or absolute URL elsewhere: not ours to preload


def _direct_imports(name: str) -> list[str]:
    path = finders.find(name)
    if not path:
        return []
    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    found = (_resolve(name, spec) for spec in IMPORT_RE.findall(source))
    return [n for n in found if n]


def _walk(name: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    todo = [name]
    while todo:
        for dep in _direct_imports(todo.pop()):
            if dep != name and dep not in seen:
                seen[dep] = None
                todo.append(dep)
    return tuple(seen)


_walk_cached = cache(_walk)


def module_imports(name: str) -> tuple[str, ...]:
    """Every static name ``name`` imports, transitively, in discovery order (not ``name``).

    Read from the source files once per process; with DEBUG on every call, so an edited
    import shows at once.
    """
    return _walk(name) if settings.DEBUG else _walk_cached(name)
