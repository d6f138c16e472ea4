"""The board update rule, in Python, over a store of sorted sets and hashes.

The in-process backend runs this code; the Redis backend runs the same rule as one Lua
script (``redis_backend.SET_ENTRY``), atomically. A test runs both on the same history and
compares their dumps (tests/leaderboard/test_board_backends_agree.py), so they cannot drift apart.

Names inside a scope (a round "r12", a contest "c3", a frozen view "fc3.r12"):

- ``{scope}:all``: every student, by key;
- ``{scope}:in:{kind}:{unit}``: the students of one class, school or commune;
- ``{scope}:units:{kind}``: the classes, schools or communes by total points;
- ``{scope}:m`` (round scopes): member -> ``Entry.raw()``;
- ``{scope}:t`` (contest scopes): member -> ``key|score|time|rounds|class|school|commune``;
- ``{scope}:u:{kind}``: unit -> ``key|score|participants``.

A round scope may have a parent (its contest): each round entry then adds its score and time
to the student's contest totals, so the contest board is "best per round, summed".
"""

from leaderboard.boards.entry import UNIT_KINDS, Entry, sum_key, unit_key


def _students(st, scope: str, member: str, key: str, units, add: bool) -> None:
    item = f"{key}:{member}"
    boards = [f"{scope}:all"] + [f"{scope}:in:{k}:{u}" for k, u in zip(UNIT_KINDS, units, strict=True) if u]
    for board in boards:
        (st.zadd if add else st.zrem)(board, item)


def _unit_add(st, scope: str, kind: str, unit: str, ds: int, dn: int) -> None:
    if not unit or (ds == 0 and dn == 0):
        return
    h, z = f"{scope}:u:{kind}", f"{scope}:units:{kind}"
    raw = st.hget(h, unit)
    s = n = 0
    if raw is not None:
        key, s, n = raw.split("|")
        st.zrem(z, f"{key}:{unit}")
        s, n = int(s), int(n)
    s, n = s + ds, n + dn
    if n <= 0:
        st.hdel(h, unit)
    else:
        key = unit_key(s)
        st.hset(h, unit, f"{key}|{s}|{n}")
        st.zadd(z, f"{key}:{unit}")


def _parent_add(st, parent: str, member: str, ds: int, dt: int, dn: int, units) -> None:
    h = f"{parent}:t"
    raw = st.hget(h, member)
    s = t = n = 0
    current = tuple(units)
    if raw is not None:
        f = raw.split("|")
        s, t, n = int(f[1]), int(f[2]), int(f[3])
        current = (f[4], f[5], f[6])
        _students(st, parent, member, f[0], current, add=False)
    was = n
    s, t, n = s + ds, t + dt, n + dn
    if dn > 0:
        current = tuple(units)
    if n <= 0:
        st.hdel(h, member)
    else:
        key = sum_key(s, t)
        st.hset(h, member, "|".join([key, str(s), str(t), str(n), *current]))
        _students(st, parent, member, key, current, add=True)
    dm = 1 if was <= 0 < n else (-1 if was > 0 >= n else 0)
    for kind, unit in zip(UNIT_KINDS, units, strict=True):
        _unit_add(st, parent, kind, unit, ds, dm)


def set_entry(st, scope: str, parent: str, member: str, new: Entry | None) -> bool:
    """Put ``member``'s entry (or remove it, ``new=None``) on every board it belongs to."""
    h = f"{scope}:m"
    old_raw = st.hget(h, member) or ""
    new_raw = new.raw() if new is not None else ""
    if old_raw == new_raw:
        return False
    if old_raw:
        old = Entry.parse(member, old_raw)
        _students(st, scope, member, old.key, old.units, add=False)
        for kind, unit in zip(UNIT_KINDS, old.units, strict=True):
            _unit_add(st, scope, kind, unit, -old.score, -1)
        if parent:
            _parent_add(st, parent, member, -old.score, -old.time_ms, -1, old.units)
        st.hdel(h, member)
    if new is not None:
        _students(st, scope, member, new.key, new.units, add=True)
        for kind, unit in zip(UNIT_KINDS, new.units, strict=True):
            _unit_add(st, scope, kind, unit, new.score, 1)
        if parent:
            _parent_add(st, parent, member, new.score, new.time_ms, 1, new.units)
        st.hset(h, member, new_raw)
    return True
