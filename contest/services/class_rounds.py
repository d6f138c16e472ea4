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
from contest.services.setup import round_create, round_set_questions
from core import pagecache
from core.errors import Forbidden, ValidationFailed
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


@transaction.atomic
def class_round_create(*, user, class_ids: list[int], question_ids: list[int] | None = None, **values) -> Round:
    """Create a window round for some of the classes the user teaches (or coordinates), all of
    one school, and set its fixed question list if given. Raises ``Forbidden`` for a user
    without a staff role and ``ValidationFailed`` for a class outside their scope."""
    if not has_role(user, Role.TEACHER, Role.COORDINATOR):
        raise Forbidden()
    classes = list(classes_in_scope(user).filter(pk__in=class_ids or []).select_related("school"))
    if not class_ids or len(classes) != len(set(class_ids)):
        raise ValidationFailed(
            _("Hãy chọn lớp mình dạy."), code="bad_classes", fields={"classes": [_("Hãy chọn lớp mình dạy.")]}
        )
    schools = {c.school_id for c in classes}
    if len(schools) != 1:
        raise ValidationFailed(
            _("Các lớp phải cùng một trường."),
            code="bad_classes",
            fields={"classes": [_("Các lớp phải cùng một trường.")]},
        )
    round_ = round_create(user=user, school=classes[0].school, **{**values, **CLASS_ROUND_FIXED})
    round_.classes.set(classes)
    pagecache.bump_on_commit(pagecache.ROUNDS)  # its classes decide whose lists show it
    if question_ids:
        round_set_questions(user=user, round_=round_, question_ids=question_ids)
    return round_
