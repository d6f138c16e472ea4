"""Pages of live games: the teacher's list and form, the host console, the projector and the
player's phone page. They call the same services and selectors as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contest.models import Round
from core.errors import DomainError
from core.exports import csv_form
from core.roles import STAFF_ROLES, has_role, in_scope
from live import admission, report_exports, selectors, services
from live.forms import GameForm
from live.models import GameMode, LiveGame, Phase
from live.report import game_report
from live.tiles import question_tiles
from quizbank.picker import picker_context, ticked_ids
from schools.selectors import classes_in_scope, schools_in_scope, user_manages_school


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
    classes = classes_in_scope(request.user).order_by("-school_year", "grade", "name")
    # Ticked questions may come from other searches and pages than the one shown: any approved
    # question the user may see is a valid choice (the service checks it again).
    posted = ticked_ids(request.POST)
    pick = picker_context(request.user, request.GET, chosen_ids=posted)
    pickable_questions = pick["questions"] + pick["chosen_hidden"]
    form = GameForm(
        request.POST or None,
        schools=schools,
        questions=pickable_questions,
        classes=classes,
        initial={"mode": GameMode.CLASSIC, "school": schools.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            game = services.game_create(
                user=request.user,
                school=form.cleaned_data["school"],
                name=form.cleaned_data["name"],
                question_ids=[i for i in posted if i in set(form.cleaned_data["questions"])],
                **form.options(),
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            return redirect("live:host", game.pk)
    return render(request, "live/new.html", {"form": form, **pick})


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


def _qr(url: str) -> str:
    """The join QR code as inline SVG with a viewBox and no fixed size, so it fills its box
    (a large square in the lobby, a small one in the band shown during the game)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=5, border=2, omitsize=True)


def _stage_context(request, game: LiveGame, *, view: str) -> dict:
    url = selectors.join_url(request, game)
    return {
        "game": game,
        "view": view,
        "join_url": url,
        "join_host": url.split("?")[0],
        "qr": _qr(url) if game.pin else "",
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
            info = services.pin_lookup(pin=pin, client=admission.client_address(request.META), user=request.user)
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


@login_required
def report(request, game_id: int):
    """The teacher's report of a game: players, questions (hardest first), teams."""
    game = _managed_game(request, game_id)
    data = game_report(game)
    return render(request, "live/report.html", {"game": game, "report": data})


@login_required
def report_export(request, game_id: int, fmt: str):
    game = _managed_game(request, game_id)
    data = game_report(game)
    table = "questions" if request.GET.get("table") == "questions" else "players"
    if fmt == "csv":
        body = report_exports.csv_bytes(data, table=table, form=csv_form(request))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(report_exports.xlsx_bytes(data), content_type=report_exports.XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{report_exports.file_name(data, fmt, table=table)}"'
    return response
