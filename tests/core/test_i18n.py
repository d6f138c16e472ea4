"""Every app's English catalog is complete and its compiled .mo matches the .po."""

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted(p for p in ROOT.glob("*/locale/en/LC_MESSAGES/*.po") if ".venv" not in p.parts)


def test_there_are_catalogs():
    apps = {p.parts[-5] for p in CATALOGS}
    assert {"core", "frontend"} <= apps


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalog_is_complete_and_compiled(po_path):
    with po_path.open("rb") as f:
        catalog = read_po(f)
    untranslated = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"untranslated in {po_path.name}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {po_path.name}: {fuzzy[:10]}"

    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"compile {po_path} (make messages)"
    with mo_path.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, str):
            assert compiled.gettext(message.id) == message.string, f"{mo_path} is stale for {message.id!r}"
        else:
            assert compiled.ngettext(message.id[0], message.id[1], 1) == message.string[0], f"{mo_path} is stale"
