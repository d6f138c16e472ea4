"""docs/design.md names the test that checks each invariant; the names must stay true, and
every "DESIGN invariant N" cited in the code must be one of its numbered invariants."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "design.md").read_text()


def test_every_test_the_design_cites_exists():
    cited = re.findall(r"`([a-z_/]+\.py)(?:::(test_\w+))?`", DOC.split("## Invariants", 1)[1])
    assert cited
    missing = []
    for path, name in cited:
        file = ROOT / "tests" / path
        if not file.exists():
            missing.append(path)
        elif name and not re.search(rf"^(async )?def {name}\(", file.read_text(), re.M):
            missing.append(f"{path}::{name}")
    assert missing == []


def test_code_cites_only_invariants_the_design_numbers():
    numbered = {int(n) for n in re.findall(r"^(\d+)\. \*\*", DOC.split("## Invariants", 1)[1], re.M)}
    assert numbered == set(range(1, 13))
    cited = set()
    for app in ["config", "core", "schools", "quizbank", "contest", "live", "leaderboard", "frontend", "tests"]:
        for path in (ROOT / app).rglob("*.py"):
            cited |= {int(n) for n in re.findall(r"DESIGN invariant (\d+)", path.read_text())}
    assert cited <= numbered
