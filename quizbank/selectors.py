"""Reads of the question bank: what a user may see, filtered and searched; random-draw pools."""

from django.db.models import Q, QuerySet

from core.roles import Role, has_role
from core.text import search_key
from quizbank.models import OwnerKind, Question, Status, Topic
from quizbank.scope import visible_filter


def topic_descendant_ids(topics) -> set[int]:
    """The ids of ``topics`` (Topic objects, ids or slugs) and of every topic below them."""
    roots = set()
    for t in topics:
        if isinstance(t, Topic):
            roots.add(t.pk)
        elif isinstance(t, int) or str(t).isdigit():
            roots.add(int(t))
        else:
            roots |= set(Topic.objects.filter(slug=str(t)).values_list("pk", flat=True))
    parents = dict(Topic.objects.values_list("pk", "parent_id"))  # the tree is small: one query
    found = set(roots)
    changed = True
    while changed:
        changed = False
        for pk, parent in parents.items():
            if parent in found and pk not in found:
                found.add(pk)
                changed = True
    return found


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def approved_questions(*, topics=None, difficulty=None, language=None, user=None) -> QuerySet[Question]:
    """Approved questions with a current version, for random draws.

    Without ``user``: the official bank only (provincial contests). With a user: the
    approved questions that user may see (the official bank, their own bank, their school's
    bank and what colleagues share). ``topics`` includes sub-topics; ``difficulty`` and
    ``language`` accept one value or a list.
    """
    qs = Question.objects.filter(status=Status.APPROVED, current_version__isnull=False)
    if user is None:
        qs = qs.filter(owner_kind=OwnerKind.OFFICIAL)
    else:
        vis = visible_filter(user)
        if vis is None:
            return Question.objects.none()
        qs = qs.filter(vis)
    if topics:
        qs = qs.filter(topics__in=topic_descendant_ids(_as_list(topics))).distinct()
    if difficulty:
        qs = qs.filter(difficulty__in=[int(d) for d in _as_list(difficulty)])
    if language:
        qs = qs.filter(language__in=_as_list(language))
    return qs.select_related("current_version")


def visible_questions(user) -> QuerySet[Question]:
    vis = visible_filter(user)
    if vis is None:
        return Question.objects.none()
    return Question.objects.filter(vis)


def search_questions(user, *, q="", topic=None, qtype=None, difficulty=None, status=None, language=None, owner=None):
    """The bank browser's list: what the user may see, filtered; ``q`` is accent-insensitive.

    ``owner`` is "official", "school", "mine" or "shared" (colleagues' shared questions).
    """
    qs = visible_questions(user)
    if q:
        # Each word must start a word of the stem, choices or tags: "otp" finds "mã OTP"
        # but not "footprint"; a number also finds the question with that id.
        for word in search_key(q).split()[:8]:
            match = Q(search_text__startswith=word) | Q(search_text__contains=" " + word)
            if word.isdigit():
                match |= Q(pk=int(word))
            qs = qs.filter(match)
    if topic:
        qs = qs.filter(topics__in=topic_descendant_ids(_as_list(topic))).distinct()
    if qtype:
        qs = qs.filter(qtype__in=_as_list(qtype))
    if difficulty:
        qs = qs.filter(difficulty__in=[int(d) for d in _as_list(difficulty)])
    if status:
        qs = qs.filter(status__in=_as_list(status))
    if language:
        qs = qs.filter(language__in=_as_list(language))
    if owner == "official":
        qs = qs.filter(owner_kind=OwnerKind.OFFICIAL)
    elif owner == "school":
        qs = qs.filter(owner_kind=OwnerKind.SCHOOL)
    elif owner == "mine":
        qs = qs.filter(owner_user=user)
    elif owner == "shared":
        qs = qs.filter(owner_kind=OwnerKind.TEACHER, shared_with_school=True).exclude(owner_user=user)
    return qs.select_related("current_version", "author", "owner_school", "owner_user").prefetch_related("topics")


def topic_tree() -> list[tuple[Topic, int]]:
    """Every topic with its depth, in tree order (parents before their children)."""
    topics = list(Topic.objects.select_related("parent"))
    children: dict[int | None, list[Topic]] = {}
    for t in topics:
        children.setdefault(t.parent_id, []).append(t)
    out: list[tuple[Topic, int]] = []

    def walk(parent_id, depth):
        for t in children.get(parent_id, []):
            out.append((t, depth))
            walk(t.pk, depth + 1)

    walk(None, 0)
    return out


def can_manage_official(user) -> bool:
    return has_role(user, Role.ORGANISER)
