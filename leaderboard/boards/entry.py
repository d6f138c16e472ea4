"""What a live board stores per member, and the order-preserving string keys.

Every board orders its members by a fixed-width string ``key`` followed by ``":" + member``.
Equal keys mean a tie (a shared rank); the member id only makes each string unique. The
shared rank of a member is 1 + the number of members whose key is strictly smaller, which
both backends count in O(log n) (``ZLEXCOUNT board - (key`` in Redis, ``bisect_left`` in
process), so ranks come out 1, 1, 3.

Scores are stored as integers in 1/10000 of a point (formats round scores to 4 decimals),
so sums are exact and a rebuilt board is identical to the one kept up to date.
"""

from dataclasses import dataclass

SCALE = 10_000
_OFFSET = 1 << 63
# Sum keys (contest totals, units) are built by the Redis script too; Lua numbers are doubles,
# exact below 2**53, so these keys use decimal digits and an offset below 2**53.
SUM_OFFSET = 9 * 10**15
UNIT_KINDS = ("class", "school", "commune")

# The summed ranking (a contest's totals: best per round, summed; and unit totals): more points
# first, then less total time; equal on both is a tie. The SQL ranking (``leaderboard.rankings``),
# the in-process board (``logic``) and the Lua board (``redis_backend``) all take it from here:
# the SQL order from ``SUMMED_ORDER``, both boards' keys from the same printf formats.
SUMMED_ORDER = ("-score", "time_ms")
SUM_KEY_FORMAT = "%016d%015d"  # (SUM_OFFSET - score, time_ms): ascending strings = SUMMED_ORDER
UNIT_KEY_FORMAT = "%016d"  # (SUM_OFFSET - score): units rank by points alone


def sum_key(score: int, time_ms: int) -> str:
    """A contest total's board key (scaled points, total milliseconds)."""
    return SUM_KEY_FORMAT % (SUM_OFFSET - score, time_ms)


def unit_key(score: int) -> str:
    """A unit total's board key (scaled points)."""
    return UNIT_KEY_FORMAT % (SUM_OFFSET - score)


def scaled(points: float) -> int:
    return round(points * SCALE)


def unscaled(value: int) -> float:
    return round(value / SCALE, 4)


def component(value) -> str:
    """One component of a format's ascending rank key, as 16 hex digits."""
    if isinstance(value, float):
        value = scaled(value)
    return f"{int(value) + _OFFSET:016x}"


def rank_key(parts: tuple) -> str:
    """The board key of a format's rank key tuple (ascending: smaller ranks first)."""
    return "".join(component(p) for p in parts)


@dataclass(frozen=True)
class Entry:
    """A member of a round board: the user, the attempt it comes from, its key and sums.

    ``units`` are the ids (as strings, "" when unknown) of the student's class, school and
    commune: the scoped boards and unit sums it belongs to.
    """

    member: str
    attempt: int
    key: str
    score: int
    time_ms: int
    units: tuple[str, str, str]

    def raw(self) -> str:
        return "|".join([self.key, str(self.score), str(self.time_ms), str(self.attempt), *self.units])

    @classmethod
    def parse(cls, member: str, raw: str) -> "Entry":
        key, score, time_ms, attempt, cls_id, school, commune = raw.split("|")
        return cls(member, int(attempt), key, int(score), int(time_ms), (cls_id, school, commune))
