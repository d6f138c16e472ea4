"""What a ranking covers: which rounds of a contest, and which students (filters)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from contest.models import Contest, Round
from core.errors import ValidationFailed
from schools.models import GRADE_LEVEL, Level, Region


@dataclass(frozen=True)
class RankingScope:
    """A round, a set of rounds, or the contest year (every counting round)."""

    contest: Contest
    rounds: tuple[Round, ...]
    year: bool

    @property
    def round_ids(self) -> list[int]:
        return [r.pk for r in self.rounds]

    @property
    def single(self) -> Round | None:
        return self.rounds[0] if len(self.rounds) == 1 and not self.year else None

    @property
    def key(self) -> str:
        return "year" if self.year else ",".join(str(pk) for pk in sorted(self.round_ids))

    def label(self) -> str:
        if self.year:
            return _("Cả năm %(year)s") % {"year": self.contest.year}
        return ", ".join(r.name for r in self.rounds)


def ranking_scope(contest: Contest, round_ids=None) -> RankingScope:
    """``round_ids`` None or empty: the contest year (its rounds that count for prizes)."""
    counting = list(Round.objects.filter(contest=contest, practice=False).order_by("opens_at", "pk"))
    if not round_ids:
        return RankingScope(contest, tuple(counting), True)
    try:
        wanted = {int(pk) for pk in round_ids}
    except (TypeError, ValueError):
        raise ValidationFailed(fields={"rounds": [_("Vòng thi không hợp lệ.")]}) from None
    chosen = tuple(r for r in counting if r.pk in wanted)
    if len(chosen) != len(wanted):
        raise ValidationFailed(
            _("Có vòng thi không thuộc cuộc thi này hoặc là vòng thi thử."),
            fields={"rounds": [_("Vòng thi không hợp lệ.")]},
        )
    return RankingScope(contest, chosen, False)


def level_grades(level: str) -> list[int]:
    return [g for g, lv in GRADE_LEVEL.items() if lv == level]


@dataclass(frozen=True)
class Filters:
    level: str = ""
    grade: int | None = None
    commune_id: int | None = None
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = {}
        if self.level:
            out["level"] = self.level
        if self.grade is not None:
            out["grade"] = self.grade
        if self.commune_id is not None:
            out["commune"] = self.commune_id
        return out

    def student_grades(self) -> list[int] | None:
        """The grades students must be in, or None for any."""
        grades = None
        if self.level:
            grades = level_grades(self.level)
        if self.grade is not None:
            grades = [g for g in (grades if grades is not None else [self.grade]) if g == self.grade]
        return grades


def parse_filters(data, contest: Contest | None = None) -> Filters:
    """Filters from query parameters or JSON (``level``, ``grade``, ``commune``); a bad value
    is a ``ValidationFailed`` naming the field."""
    errors: dict[str, list] = {}
    level = str(data.get("level") or "").strip()
    if level and level not in Level.values:
        errors["level"] = [_("Cấp học không hợp lệ.")]
    grade = data.get("grade")
    if grade in (None, ""):
        grade = None
    else:
        try:
            grade = int(grade)
            if not 1 <= grade <= 12:
                raise ValueError
        except (TypeError, ValueError):
            errors["grade"] = [_("Khối lớp phải từ 1 đến 12.")]
            grade = None
    commune = data.get("commune")
    if commune in (None, ""):
        commune = None
    else:
        try:
            commune = int(commune)
        except (TypeError, ValueError):
            errors["commune"] = [_("Xã/phường không hợp lệ.")]
            commune = None
        else:
            region = Region.objects.filter(pk=commune, kind="commune").first()
            if region is None or (contest is not None and contest.region_id not in (region.pk, region.parent_id)):
                errors["commune"] = [_("Xã/phường không thuộc địa bàn cuộc thi.")]
    if errors:
        raise ValidationFailed(_("Bộ lọc không hợp lệ."), fields=errors)
    return Filters(level=level, grade=grade, commune_id=commune)
