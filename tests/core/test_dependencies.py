"""The dependency pins: requirements*.txt (direct) agree with constraints.txt (everything
resolved), and the environment under test is the pinned one for what the fast path reads."""

import importlib.metadata
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Packages whose private attributes core/realtime/wire.py reads, or that carry the socket.
WIRE = ["daphne", "autobahn", "twisted", "txaio", "asgiref", "channels"]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            name, version = line.split("==")
            pins[_norm(name.split("[")[0])] = version
    return pins


def test_direct_requirements_agree_with_the_constraints():
    constraints = _pins(ROOT / "constraints.txt")
    direct = {**_pins(ROOT / "requirements.txt"), **_pins(ROOT / "requirements-dev.txt")}
    assert {n: v for n, v in direct.items() if constraints.get(n) != v} == {}


def test_the_fast_path_libraries_are_pinned_and_installed_at_their_pin():
    constraints = _pins(ROOT / "constraints.txt")
    installed = {n: importlib.metadata.version(n) for n in WIRE}
    assert installed == {n: constraints[n] for n in WIRE}
