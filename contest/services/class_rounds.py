"""Teachers' own class rounds (Quizizz's homework): a window round set by a teacher for the
classes they teach, with the engine, rules and results of the contest's rounds.

A class round is a standalone round (``contest`` is None), so it never counts for a contest or
its rankings; ``Round.classes`` limits who plays it to the pupils of those classes
(``contest.scope.may_play``). Questions come from what the teacher may see in the bank
(``round_set_questions``).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from contest.models import Reveal, Round, RoundMode, Selection
from contest.services.setup import round_create, round_set_questions, round_update
from core import pagecache
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.roles import Role, has_role
from schools.selectors import classes_in_scope

# A class round shows nothing while the pupil works; the rest is the teacher's choice.
CLASS_ROUND_FIXED = {
    "mode": RoundMode.WINDOW,
    "selection": Selection.FIXED,
    "draw_spec": [],
    "reveal_during": Reveal.NOTHING,
    "prediction_kind": "",
    "board_freeze_at": None,
}


def _classes(user, class_ids) -> list:
    """The classes of ``class_ids``, all taught (or coordinated) by ``user``, of one school."""
    classes = list(classes_in_scope(user).filter(pk__in=class_ids or []).select_related("school"))
    if not class_ids or len(classes) != len(set(class_ids)):
        raise ValidationFailed(
            _("Hãy chọn lớp mình dạy."), code="bad_classes", fields={"classes": [_("Hãy chọn lớp mình dạy.")]}
        )
    if len({c.school_id for c in classes}) != 1:
        raise ValidationFailed(
            _("Các lớp phải cùng một trường."),
            code="bad_classes",
            fields={"classes": [_("Các lớp phải cùng một trường.")]},
        )
    return classes


@transaction.atomic
def class_round_create(*, user, class_ids: list[int], question_ids: list[int] | None = None, **values) -> Round:
    """Create a window round for some of the classes the user teaches (or coordinates), all of
    one school, and set its fixed question list if given. Raises ``Forbidden`` for a user
    without a staff role and ``ValidationFailed`` for a class outside their scope."""
    if not has_role(user, Role.TEACHER, Role.COORDINATOR):
        raise Forbidden()
    classes = _classes(user, class_ids)
    round_ = round_create(user=user, school=classes[0].school, **{**values, **CLASS_ROUND_FIXED})
    round_.classes.set(classes)
    pagecache.bump_on_commit(pagecache.ROUNDS)  # its classes decide whose lists show it
    if question_ids:
        round_set_questions(user=user, round_=round_, question_ids=question_ids)
    return round_


@transaction.atomic
def class_round_update(
    *, user, round_: Round, class_ids: list[int], question_ids: list[int] | None = None, **values
) -> Round:
    """Change a class round's settings, classes and (when ``question_ids`` is given) questions.

    Before the first attempt everything may change. Once a pupil has started, what shapes the
    paper and the clock (opening time, duration, shuffles, questions) is refused by
    ``round_update``/``round_set_questions`` with ``Conflict`` ("round_started"), and classes
    may be added but not removed (their pupils' attempts would lose their class). Nothing is
    changed when any part is refused: the whole update is one transaction.
    """
    if not has_role(user, Role.TEACHER, Role.COORDINATOR):
        raise Forbidden()
    round_ = Round.objects.select_for_update(no_key=True).get(pk=round_.pk)
    if round_.contest_id is not None or not round_.classes.exists():
        raise NotFound()
    classes = _classes(user, class_ids)
    if classes[0].school_id != round_.school_id:
        raise ValidationFailed(
            _("Các lớp phải cùng một trường."),
            code="bad_classes",
            fields={"classes": [_("Các lớp phải cùng một trường.")]},
        )
    started = round_.attempts.exists()
    removed = set(round_.classes.values_list("pk", flat=True)) - {c.pk for c in classes}
    if started and removed:
        raise Conflict(
            _("Đã có học sinh làm bài: chỉ có thể thêm lớp, không thể bỏ lớp đã giao."),
            code="round_started",
            fields={"classes": [_("Không thể bỏ lớp sau khi đã có lượt làm bài.")]},
        )
    round_ = round_update(user=user, round_=round_, **{**values, **CLASS_ROUND_FIXED})
    round_.classes.set(classes)
    if question_ids is not None:
        current = list(
            round_.round_questions.order_by("position").values_list("question_version__question_id", flat=True)
        )
        if list(question_ids) != current:
            round_set_questions(user=user, round_=round_, question_ids=list(question_ids))
    return round_
