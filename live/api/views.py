"""REST API of live games: thin views over ``live.services`` (one view per operation).

The join itself, the answers and the game's messages go over the websocket
(``docs/live.md``); this API finds a game by PIN, lists a roster, and lets a host create,
open and drive a game, for the pages and for other clients.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from contest.models import Round
from core.roles import STAFF_ROLES, HasRole, check_scope
from live import admission, selectors, services
from live.models import GameMode, LiveGame, TeamMode
from schools.models import School


def _client(request) -> str:
    return admission.client_address(request.META)


class PinApi(APIView):
    """Find a game by its PIN. Wrong PINs are counted per client address (429 past the limit)."""

    permission_classes = [AllowAny]
    throttle_classes: list = []  # guessing is limited by failures, so a class behind one router can join

    class Input(serializers.Serializer):
        pin = serializers.CharField(max_length=20, min_length=1)

    @extend_schema(request=Input, responses={200: dict})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(services.pin_lookup(pin=data.validated_data["pin"], client=_client(request), user=request.user))


class RosterApi(APIView):
    """The class list of a roster game, with the PIN and the class code (both counted)."""

    permission_classes = [AllowAny]
    throttle_classes: list = []

    class Input(serializers.Serializer):
        pin = serializers.CharField(max_length=20, min_length=1)
        class_code = serializers.CharField(max_length=20, min_length=1)

    @extend_schema(request=Input, responses={200: dict})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        students = services.roster_lookup(
            pin=data.validated_data["pin"], class_code=data.validated_data["class_code"], client=_client(request)
        )
        return Response({"students": students})


class GameOptions(serializers.Serializer):
    mode = serializers.ChoiceField(choices=GameMode.choices, default=GameMode.CLASSIC)
    team_mode = serializers.ChoiceField(choices=TeamMode.choices, default="", allow_blank=True)
    team_count = serializers.IntegerField(default=2)
    team_classes = serializers.ListField(child=serializers.IntegerField(), default=list)
    roster_classes = serializers.ListField(child=serializers.IntegerField(), default=list)
    time_limit_s = serializers.IntegerField(default=20)
    auto_advance_s = serializers.IntegerField(default=0)
    rescues = serializers.IntegerField(default=1)
    shuffle_questions = serializers.BooleanField(default=False)
    shuffle_choices = serializers.BooleanField(default=True)


def game_out(request, game: LiveGame) -> dict:
    return {
        "id": game.pk,
        "round": game.round_id,
        "name": game.round.name,
        "pin": game.pin,
        "class_code": game.class_code,
        "phase": game.phase,
        "join_url": selectors.join_url(request, game),
        "host_url": request.build_absolute_uri(reverse("live:host", args=[game.pk])),
    }


class GameCreateApi(APIView):
    """Create a live game from questions of the bank; it opens in the lobby with a PIN."""

    permission_classes = [HasRole(*STAFF_ROLES)]

    class Input(GameOptions):
        school = serializers.IntegerField()
        name = serializers.CharField(max_length=200)
        questions = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=100)

    @extend_schema(request=Input, responses={201: dict})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        school = School.objects.filter(pk=values.pop("school")).first()
        game = services.game_create(
            user=request.user, school=school, name=values.pop("name"), question_ids=values.pop("questions"), **values
        )
        return Response(game_out(request, game), status=201)


class RoundOpenApi(APIView):
    """Open a game for a live round (a ready-made one, or one played before: then a copy)."""

    permission_classes = [HasRole(*STAFF_ROLES)]

    @extend_schema(request=GameOptions, responses={201: dict})
    def post(self, request, round_id: int):
        round_ = get_object_or_404(Round, pk=round_id)
        check_scope(request.user, round_, "manage")
        data = GameOptions(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        game = services.game_open(user=request.user, round_=round_, **data.validated_data)
        return Response(game_out(request, game), status=201)


def _game(request, game_id: int) -> LiveGame:
    game = get_object_or_404(LiveGame.objects.select_related("round"), pk=game_id)
    check_scope(request.user, game, "manage")
    return game


class GameDetailApi(APIView):
    """The host's view of a game: its state, players and answer count."""

    permission_classes = [HasRole(*STAFF_ROLES)]

    @extend_schema(responses={200: dict})
    def get(self, request, game_id: int):
        game = _game(request, game_id)
        return Response({**game_out(request, game), **selectors.host_snapshot(game)})


class _Control(APIView):
    permission_classes = [HasRole(*STAFF_ROLES)]
    Input: type[serializers.Serializer] = serializers.Serializer

    def act(self, request, game_id: int, data: dict):
        raise NotImplementedError

    @extend_schema(responses={200: dict})
    def post(self, request, game_id: int, **kwargs):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        self.act(request, game_id, {**data.validated_data, **kwargs})
        game = _game(request, game_id)
        return Response({"id": game.pk, "phase": game.phase, "index": game.question_index, "v": game.version})


class NextApi(_Control):
    """Start the game or move to the next step (close, leaderboard, next question, podium)."""

    class Input(serializers.Serializer):
        expected_phase = serializers.CharField(required=False, allow_blank=True)

    def act(self, request, game_id, data):
        services.game_next(user=request.user, game_id=game_id, expected_phase=data.get("expected_phase") or None)


class SkipApi(_Control):
    """Close the open question now."""

    def act(self, request, game_id, data):
        services.game_skip(user=request.user, game_id=game_id)


class PauseApi(_Control):
    def act(self, request, game_id, data):
        services.game_pause(user=request.user, game_id=game_id)


class ResumeApi(_Control):
    def act(self, request, game_id, data):
        services.game_resume(user=request.user, game_id=game_id)


class AddTimeApi(_Control):
    class Input(serializers.Serializer):
        seconds = serializers.IntegerField(min_value=1, max_value=120)

    def act(self, request, game_id, data):
        services.game_add_time(user=request.user, game_id=game_id, seconds=data["seconds"])


class EndApi(_Control):
    def act(self, request, game_id, data):
        services.game_end(user=request.user, game_id=game_id)


class RescueApi(_Control):
    def act(self, request, game_id, data):
        services.game_rescue(user=request.user, game_id=game_id)


class KickApi(_Control):
    def act(self, request, game_id, data):
        services.player_kick(user=request.user, game_id=game_id, player_id=data["player_id"])


class TeamApi(_Control):
    class Input(serializers.Serializer):
        team = serializers.CharField(max_length=20)

    def act(self, request, game_id, data):
        services.player_set_team(user=request.user, game_id=game_id, player_id=data["player_id"], team=data["team"])
