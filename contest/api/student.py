"""REST API for students: rounds, attempts, answers (the fallback of the websocket)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from contest import selectors, services
from contest.models import Attempt, Round
from contest.presentation import ms, round_payload
from contest.scope import may_play
from contest.services import navigation
from core.errors import NotFound
from core.metrics import ANSWERS_ACKNOWLEDGED
from core.roles import check_scope


def _round_for(user, pk: int) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("contest__region"), pk=pk)
    check_scope(user, round_, "view")
    return round_


def _attempt_for(user, pk: int, action: str = "view") -> Attempt:
    attempt = get_object_or_404(Attempt.objects.select_related("round__contest__region"), pk=pk)
    check_scope(user, attempt, action)
    return attempt


class RoundListApi(APIView):
    """The rounds a student may take, grouped as open, upcoming and past."""

    class Output(serializers.Serializer):
        open = serializers.ListField(child=serializers.DictField())
        upcoming = serializers.ListField(child=serializers.DictField())
        past = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses=Output)
    def get(self, request):
        groups = selectors.student_rounds(request.user)
        return Response({k: [round_payload(r, taken=len(r.my_attempts)) for r in v] for k, v in groups.items()})


class RoundDetailApi(APIView):
    """One round as its student sees it, with the running attempt's full state (if any)."""

    @extend_schema(responses=dict)
    def get(self, request, pk: int):
        round_ = _round_for(request.user, pk)
        services.round_finalize_if_due(round_)
        attempts = selectors.user_attempts(request.user, round_)
        running = services.attempt_running(user=request.user, round_=round_) if may_play(request.user, round_) else None
        return Response(
            {
                "round": round_payload(round_, taken=len(attempts)),
                "attempt": selectors.attempt_state(running) if running else None,
                "attempts": [{"id": a.pk, "number": a.number, "status": a.status} for a in attempts],
                "server_now": ms(timezone.now()),
            }
        )


class AttemptStartApi(APIView):
    """Start an attempt (or resume the running one): 201 with its state."""

    @extend_schema(request=None, responses={201: dict})
    def post(self, request, pk: int):
        round_ = _round_for(request.user, pk)
        attempt = services.attempt_start(user=request.user, round_=round_)
        return Response(selectors.attempt_state(attempt), status=status.HTTP_201_CREATED)


class AttemptDetailApi(APIView):
    """An attempt's state: questions in the stored order, saved answers, the server deadline."""

    @extend_schema(responses=dict)
    def get(self, request, pk: int):
        attempt = _attempt_for(request.user, pk)
        if attempt.user_id != request.user.pk:
            raise NotFound()  # staff read attempts through the organiser API
        services.attempt_close_if_due(attempt=attempt)
        services.round_finalize_if_due(attempt.round)
        attempt.refresh_from_db(fields=["counted", "rank", "prediction_error", "status"])
        return Response({**selectors.attempt_state(attempt), "server_now": ms(timezone.now())})


class AnswerSaveApi(APIView):
    """Save one answer. Answered only after the commit; the same save twice is harmless."""

    class Input(serializers.Serializer):
        response = serializers.JSONField()

    class Output(serializers.Serializer):
        question = serializers.IntegerField()
        saved_at = serializers.IntegerField()
        changed = serializers.BooleanField()
        result = serializers.DictField()

    @extend_schema(request=Input, responses=Output)
    def put(self, request, pk: int, version_id: int):
        received_at = timezone.now()  # server time on receipt; nothing the client sends
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.answer_save(
            user=request.user,
            attempt_id=pk,
            version_id=version_id,
            response=data.validated_data["response"],
            received_at=received_at,
        )
        ANSWERS_ACKNOWLEDGED.labels("window").inc()  # committed: answer_save is atomic
        return Response(
            {
                "question": version_id,
                "saved_at": ms(result.saved_at),
                "changed": result.changed,
                "result": result.feedback,
            }
        )


class PredictionApi(APIView):
    class Input(serializers.Serializer):
        value = serializers.IntegerField(min_value=0, max_value=10_000_000)

    @extend_schema(request=Input, responses=dict)
    def post(self, request, pk: int):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = services.attempt_predict(user=request.user, attempt_id=pk, value=data.validated_data["value"])
        return Response({"prediction": attempt.prediction})


class NavigationApi(APIView):
    """Store where the pupil is (``position``, 1-based; N + 1 is the prediction question) and/or
    flag a question for review (``question`` + ``flagged``). A reload or another device opens
    the same question with the same flags."""

    class Input(serializers.Serializer):
        position = serializers.IntegerField(required=False, min_value=1, max_value=1000)
        question = serializers.IntegerField(required=False)
        flagged = serializers.BooleanField(required=False)

    class Output(serializers.Serializer):
        position = serializers.IntegerField()
        flagged = serializers.ListField(child=serializers.IntegerField())

    @extend_schema(request=Input, responses=Output)
    def post(self, request, pk: int):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = navigation.attempt_navigate(user=request.user, attempt_id=pk, **data.validated_data)
        return Response({"position": attempt.position, "flagged": attempt.flagged})


class SubmitApi(APIView):
    """Submit; idempotent. Returns the attempt's state as the reveal policy now allows."""

    @extend_schema(request=None, responses=dict)
    def post(self, request, pk: int):
        attempt = services.attempt_submit(user=request.user, attempt_id=pk)
        return Response(selectors.attempt_state(attempt))
