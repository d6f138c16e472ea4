"""Pages of live games: the teacher's list and form, the host console, the projector and the
player's phone page. They call the same services and selectors as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contest.models import Round
from core.errors import DomainError
from core.pdf import qr_svg
from core.roles import STAFF_ROLES, has_role, in_scope
from live import access, selectors, services
from live.forms import GameForm
from live.models import GameMode, LiveGame, Phase
from live.tiles import question_tiles
from quizbank.selectors import search_questions
from schools.selectors import classes_in_scope, schools_in_scope, user_manages_school

QUESTION_LIST_LIMIT = 300


def _staff(request) -> None:
    if not has_role(request.user, *STAFF_ROLES):
        raise PermissionDenied


@login_required
def home(request):
    _staff(request)
    return render(request, "live/home.html", {"rows": selectors.host_games(request.user)})


@login_required
def game_new(request):
    _staff(request)
    schools = schools_in_scope(request.user)
    schools = schools.filter(pk__in=[s.pk for s in schools if user_manages_school(request.user, s)])
    q = request.GET.get("q", "").strip()
    questions = list(
        search_questions(request.user, q=q, status="approved")
        .filter(current_version__isnull=False)
        .order_by("-id")[:QUESTION_LIST_LIMIT]
    )
    classes = classes_in_scope(request.user).order_by("-school_year", "grade", "name")
    form = GameForm(
        request.POST or None,
        schools=schools,
        questions=questions,
        classes=classes,
        initial={"mode": GameMode.CLASSIC, "school": schools.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            game = services.game_create(
                user=request.user,
                school=form.cleaned_data["school"],
                name=form.cleaned_data["name"],
                question_ids=form.cleaned_data["questions"],
                **form.options(),
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            return redirect("live:host", game.pk)
    chosen = set(form["questions"].value() or [])
    return render(
        request,
        "live/new.html",
        {"form": form, "questions": questions, "chosen": {str(c) for c in chosen}, "q": q},
    )


@login_required
@require_POST
def round_open(request, round_id: int):
    _staff(request)
    round_ = get_object_or_404(Round, pk=round_id)
    _in_scope(request, round_)
    try:
        game = services.game_open(user=request.user, round_=round_)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("live:home")
    return redirect("live:host", game.pk)


def _managed_game(request, game_id: int) -> LiveGame:
    _staff(request)
    game = get_object_or_404(LiveGame.objects.select_related("round"), pk=game_id)
    _in_scope(request, game)
    return game


def _in_scope(request, obj) -> None:
    """Objects outside the user's scope are "not found", as in the API."""
    if not in_scope(request.user, obj, "manage"):
        raise Http404


def _stage_context(request, game: LiveGame, *, view: str) -> dict:
    url = selectors.join_url(request, game)
    return {
        "game": game,
        "view": view,
        "join_url": url,
        "join_host": url.split("?")[0],
        "qr": qr_svg(url, scale=5) if game.pin else "",
        "config": {"game": game.pk, "view": view, "mode": game.mode, "teams": game.teams},
    }


@login_required
def host(request, game_id: int):
    game = _managed_game(request, game_id)
    return render(request, "live/host.html", _stage_context(request, game, view="host"))


@login_required
def screen(request, game_id: int):
    game = _managed_game(request, game_id)
    return render(request, "live/screen.html", _stage_context(request, game, view="screen"))


def join(request):
    """The PIN form; with ``?pin=`` of an open game (the QR code's link), the name form at once.

    Both are in the HTML, so a phone shows them before play.js runs. A wrong PIN counts
    against the client as it does through the API.
    """
    pin = "".join(ch for ch in request.GET.get("pin", "") if ch.isdigit())[:12]
    info, error = None, ""
    if pin:
        try:
            info = services.pin_lookup(pin=pin, client=access.client_address(request.META), user=request.user)
        except DomainError as exc:
            error = exc.message
    context = {"pin": pin, "game_id": "", "signed_in": request.user.is_authenticated, "info": info, "error": error}
    return render(request, "live/play.html", context)


def play(request, game_id: int):
    """The game page of a player who has joined (their token is in the phone's storage).

    Mid-question, the question and its tiles are in the HTML; the script takes over once the
    socket has brought the player back.
    """
    if not LiveGame.objects.filter(pk=game_id).exists():
        raise Http404(_("Không tìm thấy trò chơi."))
    state = selectors.state_for_players(game_id)
    question = state.get("question") if state and state["phase"] == Phase.QUESTION and not state["paused"] else None
    context = {
        "pin": "",
        "game_id": game_id,
        "signed_in": request.user.is_authenticated,
        "state": state,
        "question": question,
        "tiles": question_tiles(question) if question else None,
    }
    return render(request, "live/play.html", context)
