"""Reads of the leaderboard app: board slices for a viewer, publications for the public."""

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


def board_view(
    user, *, round_: Round | None = None, contest: Contest | None = None, now=None
) -> tuple[str, bool, bool, bool]:
    """(scope, round_scope, frozen, staff) of what ``user`` sees, building it if needed."""
    now = now or timezone.now()
    if round_ is not None:
        staff = manages_round(user, round_)
        frozen = not staff and is_frozen(round_, now)
        if frozen:
            boards.ensure_frozen_round(round_, now)
            return boards.frozen_round_scope(round_), True, True, staff
        boards.ensure_round(round_)
        return boards.round_scope(round_.pk), True, False, staff
    staff = manages_contest(user, contest)
    frozen = not staff and bool(frozen_rounds(list(Round.objects.filter(contest=contest)), now))
    if frozen:
        boards.ensure_frozen_contest(contest, now)
        return boards.frozen_contest_scope(contest.pk), False, True, staff
    boards.ensure_contest(contest)
    return boards.contest_scope(contest.pk), False, False, staff


def board_payload(
    user, *, round_=None, contest=None, board: str = "all", top: int = 10, around: int = 2, now=None
) -> dict:
    """The slice one viewer sees: the top of ``board``, their own row and neighbours, and
    their ranks on every other board of the scope. Student names follow consent unless the
    viewer manages the round or contest."""
    board = board if board in BOARDS else "all"
    top = max(1, min(int(top), MAX_TOP))
    if not _board_shown(user, round_=round_, contest=contest, now=now):
        return _hidden_payload(round_=round_, contest=contest, board=board)
    scope, round_scope, frozen, staff = board_view(user, round_=round_, contest=contest, now=now)
    backend = get_backend()
    student = student_of(user)
    mine_units = _unit_ids(student)
    unit_board = board.startswith("units:")
    if unit_board:
        kind = board.split(":", 1)[1]
        name, member = board, str(mine_units[kind] or "")
    elif board == "all":
        name, member = "all", str(user.pk)
    else:
        unit_id = mine_units[board]
        name, member = (f"in:{board}:{unit_id}" if unit_id else "in:none:0"), str(user.pk)
    sl = backend.read(scope, name, round_scope=round_scope, top=top, member=member, around=around)
    ids = {r.member for r in [*sl.top, *sl.around]}
    labels = _unit_names(board.split(":", 1)[1], ids) if unit_board else _people(ids, full=staff)

    def row(r):
        label = labels.get(r.member, {"name": "?", "detail": ""})
        return {
            "rank": r.rank,
            "position": r.position,
            "name": label["name"],
            "detail": label["detail"],
            "me": r.member == member,
            **_decode(r.raw, unit=unit_board, round_scope=round_scope),
        }

    mine = {}
    if student is not None:
        for kind in ("all", "class", "school", "commune"):
            unit_id = mine_units.get(kind)
            bname = "all" if kind == "all" else f"in:{kind}:{unit_id}"
            if kind != "all" and not unit_id:
                continue
            s = backend.read(scope, bname, round_scope=round_scope, top=0, member=str(user.pk), around=0)
            mine[kind] = {"rank": s.me.rank if s.me else None, "total": s.total}
        for kind in ("class", "school", "commune"):
            unit_id = mine_units.get(kind)
            if unit_id:
                s = backend.read(scope, f"units:{kind}", round_scope=round_scope, top=0, member=str(unit_id), around=0)
                mine[f"units:{kind}"] = {"rank": s.me.rank if s.me else None, "total": s.total}
    freeze_at = round_.board_freeze_at if round_ is not None else None
    return {
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
        "mine": mine,
        "hidden": False,
        "server_now": now_ms(),
    }


def _board_shown(user, *, round_=None, contest=None, now=None) -> bool:
    """Whether ``user`` may see scores and ranks on this board now (DESIGN invariant 4).

    Organisers of the round or contest always may. Anyone else sees a round's board once
    the round's reveal shows the score of an ended attempt (``board_reveal_level``), and a
    contest's board only while every counting round that has opened does: its totals would
    otherwise tell a hidden round's scores by difference.
    """
    if round_ is not None:
        if manages_round(user, round_):
            return True
        return board_reveal_level(round_, now) >= Reveal.SCORE
    if manages_contest(user, contest):
        return True
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
