"""The in-process backend (no ``REDIS_URL``): sorted lists and dicts behind one lock.

Only valid while a single process serves the site (the embedded default): nothing here is
shared between processes. ``sortedcontainers.SortedList`` gives O(log n) insert, delete and
rank, the same costs as a Redis sorted set.
"""

import threading

from sortedcontainers import SortedList

from leaderboard.boards import logic
from leaderboard.boards.base import Backend, Row, Slice, board_name, data_hash
from leaderboard.boards.entry import Entry


class _Store:
    def __init__(self):
        self.zsets: dict[str, SortedList] = {}
        self.hashes: dict[str, dict[str, str]] = {}

    def zadd(self, name: str, item: str) -> None:
        z = self.zsets.setdefault(name, SortedList())
        if item not in z:
            z.add(item)

    def zrem(self, name: str, item: str) -> None:
        z = self.zsets.get(name)
        if z is not None:
            z.discard(item)
            if not z:
                del self.zsets[name]

    def hget(self, name: str, key: str) -> str | None:
        return self.hashes.get(name, {}).get(key)

    def hset(self, name: str, key: str, value: str) -> None:
        self.hashes.setdefault(name, {})[key] = value

    def hdel(self, name: str, key: str) -> None:
        h = self.hashes.get(name)
        if h is not None:
            h.pop(key, None)
            if not h:
                del self.hashes[name]


def _rows(z: SortedList, start: int, stop: int, data: dict) -> list[Row]:
    out: list[Row] = []
    for position in range(max(0, start), min(len(z), stop)):
        key, member = z[position].split(":", 1)
        if out and z[position - 1].split(":", 1)[0] == key:
            rank = out[-1].rank
        elif out:
            rank = position + 1
        else:
            rank = z.bisect_left(key) + 1
        out.append(Row(member, position, rank, data.get(member, "")))
    return out


class MemoryBackend(Backend):
    name = "memory"

    def __init__(self):
        self._lock = threading.Lock()
        self._store = _Store()
        self._meta: dict[str, dict] = {}

    def set_entry(self, scope, parent, member, entry):
        with self._lock:
            return logic.set_entry(self._store, scope, parent, member, entry)

    def get_entry(self, scope, member):
        with self._lock:
            raw = self._store.hget(f"{scope}:m", member)
        return Entry.parse(member, raw) if raw else None

    def entries(self, scope):
        with self._lock:
            raw = dict(self._store.hashes.get(f"{scope}:m", {}))
        return {m: Entry.parse(m, r) for m, r in raw.items()}

    def read(self, scope, board, *, round_scope, top, member="", around=2):
        with self._lock:
            z = self._store.zsets.get(board_name(scope, board), SortedList())
            data = self._store.hashes.get(data_hash(scope, board, round_scope=round_scope), {})
            top_rows = _rows(z, 0, top, data)
            me, near = None, []
            raw = data.get(member) if member else None
            if raw is not None:
                item = f"{raw.split('|', 1)[0]}:{member}"
                position = z.bisect_left(item)
                if position < len(z) and z[position] == item:
                    near = _rows(z, position - around, position + around + 1, data)
                    me = next(r for r in near if r.member == member)
            return Slice(total=len(z), top=top_rows, me=me, around=near)

    def meta(self, scope):
        with self._lock:
            return dict(self._meta.get(scope, {}))

    def set_meta(self, scope, values):
        with self._lock:
            self._meta.setdefault(scope, {}).update({k: str(v) for k, v in values.items()})

    def clear(self, scope):
        with self._lock:
            prefix = f"{scope}:"
            for names in (self._store.zsets, self._store.hashes):
                for name in [n for n in names if n.startswith(prefix)]:
                    del names[name]
            self._meta.pop(scope, None)

    def dump(self, scope):
        with self._lock:
            prefix = f"{scope}:"
            out = {n: list(z) for n, z in self._store.zsets.items() if n.startswith(prefix)}
            out |= {n: dict(h) for n, h in self._store.hashes.items() if n.startswith(prefix)}
            return dict(sorted(out.items()))

    def reset(self) -> None:
        """Forget everything (tests; the equivalent of flushing Redis)."""
        with self._lock:
            self._store = _Store()
            self._meta = {}
