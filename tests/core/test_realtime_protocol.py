"""Every message type and close code is documented in docs/realtime.md, and the code sends
no type that the protocol module does not name."""

import re
from pathlib import Path

from core.realtime import protocol

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "realtime.md").read_text()
REALTIME_MARKERS = ("send_json", "group_send", "channel_layer", "websocket", "Consumer", "Prepared(")
APPS = ["core", "schools", "quizbank", "contest", "live", "leaderboard", "frontend"]


def test_every_message_type_is_documented():
    missing = sorted(t for t in protocol.all_types() if f"`{t}`" not in DOC)
    assert not missing, f"document these types in docs/realtime.md: {missing}"


def test_every_close_code_is_documented():
    missing = sorted(
        name for name, code in protocol.all_close_codes().items() if str(code) not in DOC or name not in DOC
    )
    assert not missing, f"document these close codes in docs/realtime.md: {missing}"


def test_code_sends_only_protocol_types():
    known = protocol.all_types() | protocol.all_events()
    literal = re.compile(r"""["']type["']\s*:\s*["']([a-z_.]+)["']""")
    unknown = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text()
            # Only code that talks over sockets or the channel layer sends protocol messages.
            if "migrations" in path.parts or not any(m in text for m in REALTIME_MARKERS):
                continue
            found = set(literal.findall(text)) - known
            if found:
                unknown[str(path.relative_to(ROOT))] = found
    assert not unknown, f"name these in core.realtime.protocol (Msg or Event) and use the constant: {unknown}"


def test_every_layer_event_has_a_handler():
    sources = "\n".join(p.read_text() for app in APPS for p in (ROOT / app).rglob("*.py"))
    missing = [
        e
        for e in protocol.all_events()
        if e != protocol.Event.HEALTHZ_PING and f"def {e.replace('.', '_')}(" not in sources
    ]
    assert not missing, f"no consumer handles these layer events: {missing}"


def test_every_close_the_code_sends_is_a_named_documented_code():
    """Consumers close only with a ``CLOSE_*`` constant (so the test above covers it), never a
    bare number or an expression the test cannot check."""
    call = re.compile(r"\.close\(\s*code\s*=\s*([^)]*)\)")
    name = re.compile(r"\bCLOSE_[A-Z_]+\b")
    codes = protocol.all_close_codes()
    bad = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for arg in call.findall(path.read_text()):
                names = name.findall(arg)
                if arg.split(",")[0].strip() == "code":  # JsonConsumer.close passing its argument on
                    continue
                if not names or any(n not in codes for n in names) or re.search(r"\d", name.sub("", arg)):
                    bad.setdefault(str(path.relative_to(ROOT)), []).append(arg)
    assert not bad, f"close with a CLOSE_* constant of core.realtime.protocol: {bad}"
