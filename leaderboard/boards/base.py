"""The live-board interface both backends implement, and what a read returns."""

from dataclasses import dataclass, field

from leaderboard.boards.entry import Entry


@dataclass(frozen=True)
class Row:
    member: str  # a user id (student boards) or a unit id (unit boards)
    position: int  # 0-based place in the board's order
    rank: int  # shared rank: 1 + members with a strictly better key
    raw: str  # the member's stored data (see logic.py)


@dataclass(frozen=True)
class Slice:
    total: int
    top: list[Row] = field(default_factory=list)
    me: Row | None = None
    around: list[Row] = field(default_factory=list)


def board_name(scope: str, board: str) -> str:
    """``board``: "all", "in:{kind}:{unit}" or "units:{kind}"."""
    return f"{scope}:{board}"


def data_hash(scope: str, board: str, *, round_scope: bool) -> str:
    if board.startswith("units:"):
        return f"{scope}:u:{board.split(':', 1)[1]}"
    return f"{scope}:m" if round_scope else f"{scope}:t"


class Backend:
    """Sorted boards of one deployment. Every method is safe to call from any thread."""

    name = ""

    def set_entry(self, scope: str, parent: str, member: str, entry: Entry | None) -> bool:
        raise NotImplementedError

    def set_entries(self, scope: str, parent: str, entries: list[tuple[str, Entry | None]]) -> None:
        for member, entry in entries:
            self.set_entry(scope, parent, member, entry)

    def get_entry(self, scope: str, member: str) -> Entry | None:
        raise NotImplementedError

    def entries(self, scope: str) -> dict[str, Entry]:
        """Every round entry of a round scope, by member."""
        raise NotImplementedError

    def read(self, scope: str, board: str, *, round_scope: bool, top: int, member: str = "", around: int = 2) -> Slice:
        raise NotImplementedError

    def read_many(self, scope: str, reads: list[tuple[str, int, str, int]], *, round_scope: bool) -> list[Slice]:
        """``read`` for each ``(board, top, member, around)``, in order; one round trip on Redis."""
        return [self.read(scope, b, round_scope=round_scope, top=t, member=m, around=a) for b, t, m, a in reads]

    def meta(self, scope: str) -> dict:
        raise NotImplementedError

    def set_meta(self, scope: str, values: dict) -> None:
        raise NotImplementedError

    def clear(self, scope: str) -> None:
        """Delete every key of the scope (its boards, hashes and meta)."""
        raise NotImplementedError

    def dump(self, scope: str) -> dict:
        """Everything stored for a scope, as plain data (for tests and checks)."""
        raise NotImplementedError
