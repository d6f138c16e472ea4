"""The same history played through the in-process board and the Redis (Lua) board gives the
same boards, and the summed order both use is the one the SQL ranking uses
(``leaderboard.boards.entry.SUMMED_ORDER``)."""

import random
import secrets

import pytest

from leaderboard.boards.entry import SUMMED_ORDER, Entry, rank_key, sum_key, unit_key
from leaderboard.boards.memory import MemoryBackend


def _history(seed: int, steps: int = 400) -> list[tuple[str, str, Entry | None]]:
    """Entries put on and taken off two rounds of one contest, with ties, class moves and
    removals, in a random but fixed order."""
    rng = random.Random(seed)
    out = []
    for _ in range(steps):
        scope = rng.choice(["r1", "r2"])
        member = str(rng.randint(1, 40))
        if rng.random() < 0.15:
            out.append((scope, member, None))
            continue
        score = rng.choice([0, 5000, 10000, 25000, 25000, 100000])  # ties on purpose
        time_ms = rng.choice([1000, 60000, 60000, 300000])
        units = (str(rng.randint(1, 4)), str(rng.randint(1, 3)), rng.choice(["7", "8", ""]))
        key = rank_key((-score, time_ms))
        out.append((scope, member, Entry(member, rng.randint(1, 10**6), key, score, time_ms, units)))
    return out


@pytest.mark.redis
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_memory_and_redis_boards_agree_on_the_same_history(redis_url, seed):
    from leaderboard.boards.redis_backend import RedisBackend

    memory = MemoryBackend()
    redis = RedisBackend(redis_url, f"hts_test_agree_{secrets.token_hex(4)}")
    try:
        for step, (scope, member, entry) in enumerate(_history(seed)):
            assert memory.set_entry(scope, "c1", member, entry) == redis.set_entry(scope, "c1", member, entry), step
        for scope in ("r1", "r2", "c1"):
            assert memory.dump(scope) == redis.dump(scope), scope
            for board in ("all", "in:class:1", "units:school"):
                for member in ("", "3", "17"):
                    a = memory.read(scope, board, round_scope=scope != "c1", top=10, member=member)
                    b = redis.read(scope, board, round_scope=scope != "c1", top=10, member=member)
                    assert a == b, (scope, board, member)
    finally:
        for scope in ("r1", "r2", "c1"):
            redis.clear(scope)


def test_the_summed_keys_sort_as_the_summed_order():
    totals = [(250000, 9000), (250000, 3000), (100000, 1000), (250000, 3000), (0, 0), (990000, 999999)]
    by_key = sorted(totals, key=lambda t: sum_key(*t))
    assert SUMMED_ORDER == ("-score", "time_ms")
    assert by_key == sorted(totals, key=lambda t: (-t[0], t[1]))
    assert sorted([1, 30000, 20000], key=unit_key) == [30000, 20000, 1]
