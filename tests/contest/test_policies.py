"""The one lateness rule (``contest.policies.is_late``) and the names built on it."""

import datetime
import re
from pathlib import Path

import pytest

from contest.policies import ANSWER_GRACE, LIVE_ANSWER_GRACE, answers_close_at, is_late, late_cutoff

ROOT = Path(__file__).resolve().parents[2]
T = datetime.datetime(2026, 9, 7, 8, 0, tzinfo=datetime.UTC)
US = datetime.timedelta(microseconds=1)


@pytest.mark.parametrize("grace", [ANSWER_GRACE, LIVE_ANSWER_GRACE])
def test_late_is_strictly_after_the_deadline_plus_the_grace(grace):
    assert not is_late(T + grace, T, grace=grace)
    assert is_late(T + grace + US, T, grace=grace)
    assert answers_close_at(T, grace=grace) == T + grace
    assert not is_late(T + grace, None, grace=grace)  # no deadline: never late


def test_the_query_cutoff_agrees_with_is_late():
    now = T + datetime.timedelta(minutes=3)
    for deadline in (now - ANSWER_GRACE - US, now - ANSWER_GRACE, now - ANSWER_GRACE + US, now):
        assert (deadline < late_cutoff(now)) == is_late(now, deadline)


def test_no_code_adds_a_grace_to_a_deadline_itself():
    pattern = re.compile(r"[+-]\s*(LIVE_)?ANSWER_GRACE\b|\bGRACE\b(?!_)")
    found = []
    for app in ["contest", "live", "leaderboard", "core"]:
        for path in (ROOT / app).rglob("*.py"):
            if path.name == "policies.py" or "migrations" in path.parts:
                continue
            for n, line in enumerate(path.read_text().splitlines(), 1):
                code = line.split("#")[0]
                if pattern.search(code) and "FINALIZE_DELAY" not in code:
                    found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []


def test_reveal_levels_are_named_not_written_as_numbers():
    literal = re.compile(r"""\breveal_(during|after_attempt|after_close)["']?\s*[:=]\s*\d""")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for app in ["contest", "live", "leaderboard", "quizbank", "frontend", "bench"]
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if literal.search(line)
    ]
    assert found == []
