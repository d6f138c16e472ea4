"""Reads of the leaderboard app: board slices for a viewer, publications for the public."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from contest.models import Contest, Reveal, Round
from contest.policies import board_reveal_level
from contest.scope import manages_contest, manages_round
from core.realtime.protocol import now_ms
from core.text import initials_name
from leaderboard.boards import get_backend
from leaderboard.boards import sync as boards
from leaderboard.boards.entry import unscaled
from leaderboard.boards.freeze import frozen_rounds, is_frozen
from leaderboard.models import Publication
from schools.models import Region, School, SchoolClass, Student
from schools.selectors import may_publish_full_name, public_name, student_of

BOARDS = ("all", "class", "school", "commune", "units:class", "units:school", "units:commune")
MAX_TOP = 50


def _unit_ids(student: Student | None) -> dict[str, int | None]:
    if student is None:
        return {"class": None, "school": None, "commune": None}
    return {"class": student.school_class_id, "school": student.school_id, "commune": student.school.commune_id}


def _decode(raw: str, *, unit: bool, round_scope: bool) -> dict:
    f = raw.split("|")
    if len(f) < 3:
        return {"score": 0.0}
    if unit:
        return {"score": unscaled(int(f[1])), "participants": int(f[2])}
    out = {"score": unscaled(int(f[1])), "time_ms": int(f[2])}
    if not round_scope:
        out["rounds"] = int(f[3])
    return out


def _people(user_ids, *, full: bool) -> dict[str, dict]:
    out = {}
    for s in Student.objects.filter(user_id__in=[int(i) for i in user_ids]).select_related("school", "school_class"):
        name = s.full_name if full else public_name(s)
        detail = " · ".join(x for x in (s.school_class.name if s.school_class else "", s.school.name) if x)
        out[str(s.user_id)] = {"name": name, "detail": detail}
    return out


def _unit_names(kind: str, ids) -> dict[str, dict]:
    ids = [int(i) for i in ids]
    if kind == "class":
        return {
            str(c.pk): {"name": c.name, "detail": c.school.name}
            for c in SchoolClass.objects.filter(pk__in=ids).select_related("school")
        }
    if kind == "school":
        return {
            str(s.pk): {"name": s.name, "detail": s.commune.name}
            for s in School.objects.filter(pk__in=ids).select_related("commune")
        }
    return {str(r.pk): {"name": r.name, "detail": ""} for r in Region.objects.filter(pk__in=ids)}


def _view(staff: bool, *, round_: Round | None = None, contest: Contest | None = None, now=None):
    """(scope, round_scope, frozen) of the board a viewer sees, building it if needed: staff
    (who manage the round or contest) see the live board, others the frozen one during a freeze."""
    now = now or timezone.now()
    if round_ is not None:
        if not staff and is_frozen(round_, now):
            boards.ensure_frozen_round(round_, now)
            return boards.frozen_round_scope(round_), True, True
        boards.ensure_round(round_)
        return boards.round_scope(round_.pk), True, False
    if not staff and frozen_rounds(list(Round.objects.filter(contest=contest)), now):
        boards.ensure_frozen_contest(contest, now)
        return boards.frozen_contest_scope(contest.pk), False, True
    boards.ensure_contest(contest)
    return boards.contest_scope(contest.pk), False, False


def _manages(user, *, round_=None, contest=None) -> bool:
    return manages_round(user, round_) if round_ is not None else manages_contest(user, contest)


def board_view(
    user, *, round_: Round | None = None, contest: Contest | None = None, now=None
) -> tuple[str, bool, bool, bool]:
    """(scope, round_scope, frozen, staff) of what ``user`` sees, building it if needed."""
    staff = _manages(user, round_=round_, contest=contest)
    return (*_view(staff, round_=round_, contest=contest, now=now), staff)


@dataclass(frozen=True)
class Viewer:
    """One socket's view of a board: who looks, and which board of the scope."""

    user: object
    board: str = "all"


def board_payload(
    user, *, round_=None, contest=None, board: str = "all", top: int = 10, around: int = 2, now=None
) -> dict:
    """The slice one viewer sees: the top of ``board``, their own row and neighbours, and
    their ranks on every other board of the scope. Student names follow consent unless the
    viewer manages the round or contest."""
    staff = _manages(user, round_=round_, contest=contest)
    viewers = [Viewer(user, board)]
    return board_payloads(viewers, round_=round_, contest=contest, staff=staff, top=top, around=around, now=now)[0]


_STUDENT = Student._meta.get_field("user").remote_field  # the user's reverse ``student`` relation


def _students_of(users) -> dict[int, Student | None]:
    """Each signed-in user's student row (None for staff), by user id: one query for those not
    read before, whose user then keeps it (a socket's user lives as long as the socket)."""
    out: dict[int, Student | None] = {}
    missing = {}
    for user in users:
        if not user.is_authenticated:
            continue
        if _STUDENT.is_cached(user):
            out[user.pk] = student_of(user)
        else:
            missing.setdefault(user.pk, []).append(user)
    if missing:
        found = {s.user_id: s for s in Student.objects.filter(user_id__in=list(missing)).select_related("school")}
        for pk, same in missing.items():
            out[pk] = found.get(pk)
            for user in same:
                _STUDENT.set_cached_value(user, out[pk])
    return out


def board_payloads(
    viewers: list[Viewer], *, round_=None, contest=None, staff: bool, top: int = 10, around: int = 2, now=None
) -> list[dict]:
    """``board_payload`` for each of many viewers of one board scope at once, in order: the
    sockets of one board group, for one push. ``staff``: whether these viewers manage the
    round or contest (a board group holds only one kind).

    Its cost does not grow with the viewers: the students' rows (only those not read before),
    the names on the rows shown (one query per kind of row), and one round trip to Redis for
    every viewer's slice and ranks (``Backend.read_many``)."""
    top = max(1, min(int(top), MAX_TOP))
    if not staff and not _shown_to_public(round_=round_, contest=contest, now=now):
        return [_hidden_payload(round_=round_, contest=contest, board=_board(v.board)) for v in viewers]
    scope, round_scope, frozen = _view(staff, round_=round_, contest=contest, now=now)
    students = _students_of([v.user for v in viewers])
    reads: list[tuple[str, int, str, int]] = []
    plans = []
    for viewer in viewers:
        user, board = viewer.user, _board(viewer.board)
        student = students.get(user.pk)
        mine_units = _unit_ids(student)
        unit_board = board.startswith("units:")
        if unit_board:
            member = str(mine_units[board.split(":", 1)[1]] or "")
            name = board
        elif board == "all":
            name, member = "all", str(user.pk)
        else:
            unit_id = mine_units[board]
            name, member = (f"in:{board}:{unit_id}" if unit_id else "in:none:0"), str(user.pk)
        first = len(reads)
        reads.append((name, top, member, around))
        mine = []
        if student is not None:
            for kind in ("all", "class", "school", "commune"):
                unit_id = mine_units.get(kind)
                if kind != "all" and not unit_id:
                    continue
                mine.append(kind)
                reads.append(("all" if kind == "all" else f"in:{kind}:{unit_id}", 0, str(user.pk), 0))
            for kind in ("class", "school", "commune"):
                unit_id = mine_units.get(kind)
                if unit_id:
                    mine.append(f"units:{kind}")
                    reads.append((f"units:{kind}", 0, str(unit_id), 0))
        plans.append((board, member, unit_board, first, mine))
    slices = get_backend().read_many(scope, reads, round_scope=round_scope)

    wanted: dict[str, set[str]] = {}  # "people" or a unit kind -> the members shown
    for board, _member, unit_board, first, _mine in plans:
        sl = slices[first]
        wanted.setdefault(board.split(":", 1)[1] if unit_board else "people", set()).update(
            r.member for r in [*sl.top, *sl.around]
        )
    labels = {
        kind: _people(ids, full=staff) if kind == "people" else _unit_names(kind, ids) for kind, ids in wanted.items()
    }
    freeze_at = round_.board_freeze_at if round_ is not None else None
    server_now = now_ms()
    out = []
    for board, member, unit_board, first, mine in plans:
        sl = slices[first]
        names = labels.get(board.split(":", 1)[1] if unit_board else "people", {})

        def row(r, names=names, member=member, unit_board=unit_board):
            label = names.get(r.member, {"name": "?", "detail": ""})
            return {
                "rank": r.rank,
                "position": r.position,
                "name": label["name"],
                "detail": label["detail"],
                "me": r.member == member,
                **_decode(r.raw, unit=unit_board, round_scope=round_scope),
            }

        ranks = {}
        for k, kind in enumerate(mine, start=first + 1):
            s = slices[k]
            ranks[kind] = {"rank": s.me.rank if s.me else None, "total": s.total}
        out.append(
            {
                "scope": "round" if round_ is not None else "contest",
                "id": (round_ or contest).pk,
                "board": board,
                "frozen": frozen,
                "freeze_at": int(freeze_at.timestamp() * 1000) if freeze_at else None,
                "staff": staff,
                "total": sl.total,
                "top": [row(r) for r in sl.top],
                "me": row(sl.me) if sl.me else None,
                "around": [row(r) for r in sl.around],
                "mine": ranks,
                "hidden": False,
                "server_now": server_now,
            }
        )
    return out


def _board(board: str) -> str:
    return board if board in BOARDS else "all"


def _shown_to_public(*, round_=None, contest=None, now=None) -> bool:
    """Whether a viewer who does not manage the round or contest may see scores and ranks on
    this board now (DESIGN invariant 4). A round's board once the round's reveal shows the
    score of an ended attempt (``board_reveal_level``); a contest's board only while every
    counting round that has opened does: its totals would otherwise tell a hidden round's
    scores by difference. Organisers always may."""
    if round_ is not None:
        return board_reveal_level(round_, now) >= Reveal.SCORE
    now = now or timezone.now()
    for r in Round.objects.filter(contest=contest, practice=False).exclude(opens_at__gt=now):
        if board_reveal_level(r, now) < Reveal.SCORE:
            return False
    return True


def _hidden_payload(*, round_=None, contest=None, board: str) -> dict:
    """A board that waits for the reveal: its shape, without a score, rank or row."""
    freeze_at = round_.board_freeze_at if round_ is not None else None
    return {
        "scope": "round" if round_ is not None else "contest",
        "id": (round_ or contest).pk,
        "board": board,
        "frozen": False,
        "freeze_at": int(freeze_at.timestamp() * 1000) if freeze_at else None,
        "staff": False,
        "total": None,
        "top": [],
        "me": None,
        "around": [],
        "mine": {},
        "hidden": True,
        "server_now": now_ms(),
    }


# --- publications ------------------------------------------------------------------------------
def public_publications() -> QuerySet[Publication]:
    return Publication.objects.select_related("contest").order_by("-published_at", "-pk")


def publications_of(contest: Contest) -> QuerySet[Publication]:
    return Publication.objects.filter(contest=contest).select_related("superseded_by").order_by("-published_at", "-pk")


def display_names(publication: Publication, rows) -> dict[int, str]:
    """Public names of individual rows: as published, unless the student has since withdrawn
    consent to show their full name (then initials). One query."""
    if publication.is_units:
        return {r.pk: r.public_name for r in rows}
    ids = [r.subject_id for r in rows if r.subject_id]
    allowed = {s.pk: may_publish_full_name(s) for s in Student.objects.filter(pk__in=ids)}
    out = {}
    for r in rows:
        if r.public_name == r.name and not allowed.get(r.subject_id, False):
            out[r.pk] = initials_name(r.name)
        else:
            out[r.pk] = r.public_name
    return out


def search_rows(publication: Publication, text: str = ""):
    qs = publication.rows.all().order_by("position")
    text = (text or "").strip()
    if text:
        qs = qs.filter(Q(public_name__icontains=text) | Q(school_name__icontains=text) | Q(class_name__icontains=text))
    return qs
