"""Who may touch which school, class and student: the scope every endpoint checks.

- An organiser manages the regions of their memberships: a province with all its communes
  and schools, or one commune.
- A coordinator manages one school (or several, one membership each).
- A teacher belongs to a school and manages the classes they are assigned to.
- A student sees only their own data.
Superusers manage everything. The scope is computed once per user object (per request).
"""

from dataclasses import dataclass

from django.db.models import Q

from schools.models import Membership, MembershipRole, Region


@dataclass(frozen=True)
class Scope:
    superuser: bool
    region_ids: frozenset[int]  # organiser regions, communes of organised provinces included
    coordinated_school_ids: frozenset[int]
    teacher_school_ids: frozenset[int]

    @property
    def staff_school_ids(self) -> frozenset[int]:
        return self.coordinated_school_ids | self.teacher_school_ids

    def school_filter(self, prefix: str = "") -> Q:
        """A Q over schools (``prefix`` e.g. "school__") matching what this scope may manage."""
        if self.superuser:
            return Q()
        q = Q(**{f"{prefix}pk__in": self.staff_school_ids})
        if self.region_ids:
            q |= Q(**{f"{prefix}commune_id__in": self.region_ids})
        return q


_EMPTY = Scope(False, frozenset(), frozenset(), frozenset())


def scope_of(user) -> Scope:
    if user is None or not user.is_authenticated:
        return _EMPTY
    cached = getattr(user, "_hts_school_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(True, frozenset(), frozenset(), frozenset())
    else:
        regions, coordinated, taught = set(), set(), set()
        for role, school_id, region_id in Membership.objects.filter(user=user).values_list(
            "role", "school_id", "region_id"
        ):
            if role == MembershipRole.ORGANISER:
                regions.add(region_id)
            elif role == MembershipRole.COORDINATOR:
                coordinated.add(school_id)
            else:
                taught.add(school_id)
        if regions:
            regions |= set(Region.objects.filter(parent_id__in=regions).values_list("pk", flat=True))
        scope = Scope(False, frozenset(regions), frozenset(coordinated), frozenset(taught))
    user._hts_school_scope = scope
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope after the user's memberships changed."""
    user.__dict__.pop("_hts_school_scope", None)
    user.__dict__.pop("_hts_roles", None)
