"""The way in: a PIN (and a class code) to a game, counted against guessing."""

from django.utils.translation import gettext as _

from core.errors import NotFound, ValidationFailed
from live import admission
from live.models import LiveGame, Phase, TeamMode
from schools.models import Student, StudentStatus
from schools.selectors import student_of


def pin_lookup(*, pin, client: str, user=None) -> dict:
    """What the join page needs to know about the game behind ``pin``.

    A wrong PIN counts against ``client`` (``admission.failed``); past the limit every lookup
    from it is refused with ``RateLimited`` until the window ends.
    """
    admission.guard(client)
    pin = admission.clean_pin(pin)
    game = (
        LiveGame.objects.select_related("round").filter(pin=pin).exclude(phase=Phase.ENDED).first()
        if len(pin) == admission.PIN_DIGITS
        else None
    )
    if game is None:
        admission.failed(client)
        raise NotFound(_("Không có trò chơi nào với mã PIN này."), code="bad_pin")
    student = student_of(user)
    signed_in_ok = bool(
        game.is_roster and student is not None and game.roster_classes.filter(pk=student.school_class_id).exists()
    )
    return {
        "game": game.pk,
        "name": game.round.name,
        "phase": game.phase,
        "join": "roster" if game.is_roster else "nickname",
        "signed_in_ok": signed_in_ok,
        "choose_team": game.team_mode == TeamMode.CLASS and not game.is_roster,
        "teams": [{"key": t["key"], "name": t["name"]} for t in game.teams],
    }


def roster_lookup(*, pin, class_code, client: str) -> list[dict]:
    """The class list of a roster game, for a pupil to pick their name: only with the PIN and
    the class code, both counted against guessing."""
    admission.guard(client)
    pin = admission.clean_pin(pin)
    game = LiveGame.objects.filter(pin=pin).exclude(phase=Phase.ENDED).first() if pin else None
    if game is None:
        admission.failed(client)
        raise NotFound(_("Không có trò chơi nào với mã PIN này."), code="bad_pin")
    if not game.is_roster or admission.clean_code(class_code) != game.class_code:
        admission.failed(client)
        raise ValidationFailed(
            _("Mã lớp không đúng."), code="bad_class_code", fields={"class_code": [_("Không đúng.")]}
        )
    students = (
        # Only verified pupils: a pending registration is nobody's name to pick yet.
        Student.objects.filter(school_class__in=game.roster_classes.all(), status=StudentStatus.VERIFIED)
        .select_related("school_class")
        .order_by("school_class__name", "name_sort", "pk")
    )
    return [{"id": s.pk, "name": s.full_name, "class": s.school_class.name} for s in students]
