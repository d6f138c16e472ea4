"""Module boundaries the code keeps (issue: one owner per table, public names only).

- No module imports another module's ``_private`` name.
- Only the contest app writes ``Answer``, ``AnswerLog`` and ``Attempt`` rows: the live app
  calls ``contest.services`` (ORM writes, model instances built to be saved, raw SQL).
- Every app keeps its REST modules in one layout: an ``api`` package whose ``urls`` module
  ``config/urls.py`` mounts, and no ``api*.py`` module beside it.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["config", "core", "schools", "quizbank", "contest", "live", "leaderboard", "frontend"]
CONTEST_TABLES = {"Answer", "AnswerLog", "Attempt"}
WRITES = {"create", "bulk_create", "bulk_update", "update", "delete", "get_or_create", "update_or_create", "save"}


def _modules(*apps):
    for app in apps:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(encoding="utf-8"))


def _root_name(node):
    while isinstance(node, ast.Attribute | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def test_no_module_imports_a_private_name_of_another():
    found = []
    for path, tree in _modules(*APPS):
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                found += [
                    f"{path.relative_to(ROOT)}: {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
    assert found == []


def test_live_never_writes_contest_rows_itself():
    found = []
    for path, tree in _modules("live"):
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in CONTEST_TABLES:
                    found.append(f"{where}:{node.lineno} builds {func.id}")
                elif isinstance(func, ast.Attribute) and func.attr in WRITES and _root_name(func) in CONTEST_TABLES:
                    found.append(f"{where}:{node.lineno} {_root_name(func)}...{func.attr}()")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.lower()
                if any(w in text for w in ("update contest_", "insert into contest_", "delete from contest_")):
                    found.append(f"{where}:{node.lineno} raw SQL on a contest table")
    assert found == []


def test_every_app_keeps_its_rest_modules_in_an_api_package():
    from django.urls import get_resolver

    mounted = {
        p.urlconf_name.__name__
        for top in get_resolver().url_patterns
        if getattr(top, "pattern", None) is not None and str(top.pattern) == "api/"
        for p in top.url_patterns
        if hasattr(p, "urlconf_name")
    }
    apps = ["core", "schools", "quizbank", "contest", "live", "leaderboard"]
    assert mounted == {f"{app}.api.urls" for app in apps}
    stray = [str(path.relative_to(ROOT)) for app in apps for path in (ROOT / app).glob("api*.py")]
    assert stray == []
