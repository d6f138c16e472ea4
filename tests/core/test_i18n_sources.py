"""Every Vietnamese string marked for translation in the code has its English entry, including
strings marked through an alias that ``makemessages`` does not extract (``_lazy``), and the
language menu names each language in itself (issue #11 item 6)."""

import re
import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CALL = re.compile(r"""(?:\b_|\b_lazy|\bgettext|\bgettext_lazy|\bgettext_noop)\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]""")
TAG = re.compile(r"""\{%\s*translate\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
SKIP = (".venv", "tests", "staticfiles", "var", "bench", "node_modules")


def _catalog_ids() -> set[str]:
    ids = set()
    for po in ROOT.glob("*/locale/en/LC_MESSAGES/*.po"):
        with po.open("rb") as fh:
            for message in read_po(fh):
                if message.id:
                    ids.add(message.id if isinstance(message.id, str) else message.id[0])
    return ids


def _sources():
    for pattern in ("**/*.py", "**/*.html", "**/*.js"):
        for path in ROOT.glob(pattern):
            rel = path.relative_to(ROOT)
            if rel.parts[0] in SKIP or "vendor" in rel.parts or "migrations" in rel.parts:
                continue
            yield rel, path.read_text(encoding="utf-8")


def test_every_vietnamese_source_string_has_an_english_entry():
    ids = _catalog_ids()
    missing = []
    for rel, text in _sources():
        found = [m.group(1) for m in CALL.finditer(text)]
        found += [m.group(1) or m.group(2) for m in TAG.finditer(text)]
        for msgid in found:
            if "\\" in msgid or not re.search(r"[^\x00-\x7f]", msgid):
                continue  # escapes are rare; ASCII-only strings are not Vietnamese text
            if msgid not in ids:
                missing.append(f"{rel}: {msgid}")
    assert not missing, "\n".join(missing)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_language_menu_names_each_language_in_itself(client, language):
    with translation.override(language):
        client.cookies["django_language"] = language
        html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    options = re.findall(r'<option value="(vi|en)"[^>]*>([^<]+)</option>', html)
    assert {code: unicodedata.normalize("NFC", name) for code, name in options} == {"vi": "Tiếng Việt", "en": "English"}
