"""REST API for organisers: contests, rounds, questions, monitor, standings, moderation."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from contest import selectors, services
from contest.models import Attempt, AttemptsPolicy, Contest, PredictionKind, Reveal, Round, Selection, Tiebreak
from contest.presentation import ms
from contest.scoring import available
from core.roles import HasRole, Role, check_scope
from schools.models import Region

STAFF = HasRole(Role.ORGANISER, Role.TEACHER, Role.COORDINATOR)


def _contest(user, pk: int, action: str = "manage") -> Contest:
    contest = get_object_or_404(Contest.objects.select_related("region"), pk=pk)
    check_scope(user, contest, action)
    return contest


def _round(user, pk: int) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("contest__region", "school"), pk=pk)
    check_scope(user, round_, "manage")
    return round_


class PrizeTier(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    count = serializers.IntegerField(min_value=0, max_value=10000)


class ContestOut(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")

    class Meta:
        model = Contest
        fields = [
            "id", "name", "year", "region", "levels", "grades", "rules", "individual_prizes", "unit_prizes",
            "prize_points", "prize_min_score", "opens_at", "tiebreak", "organiser_name", "issue_place",
            "signer_title", "signer_name",
        ]  # fmt: skip


class ContestIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    year = serializers.IntegerField()
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    levels = serializers.ListField(child=serializers.CharField(), required=False)
    grades = serializers.ListField(child=serializers.IntegerField(), required=False)
    rules = serializers.CharField(required=False, allow_blank=True)
    individual_prizes = PrizeTier(many=True, required=False)
    unit_prizes = PrizeTier(many=True, required=False)
    prize_points = serializers.DictField(child=serializers.FloatField(min_value=0), required=False)
    prize_min_score = serializers.FloatField(required=False, allow_null=True)
    opens_at = serializers.DateTimeField(required=False)
    tiebreak = serializers.ChoiceField(choices=Tiebreak.choices, required=False)
    organiser_name = serializers.CharField(required=False, allow_blank=True)
    issue_place = serializers.CharField(required=False, allow_blank=True)
    signer_title = serializers.CharField(required=False, allow_blank=True)
    signer_name = serializers.CharField(required=False, allow_blank=True)


class ContestListApi(APIView):
    permission_classes = [STAFF]

    @extend_schema(responses=ContestOut(many=True))
    def get(self, request):
        return Response(ContestOut(selectors.contests_for_manager(request.user), many=True).data)

    @extend_schema(request=ContestIn, responses={201: ContestOut})
    def post(self, request):
        data = ContestIn(data=request.data)
        data.is_valid(raise_exception=True)
        contest = services.contest_create(user=request.user, **data.validated_data)
        return Response(ContestOut(contest).data, status=status.HTTP_201_CREATED)


class ContestDetailApi(APIView):
    permission_classes = [STAFF]

    @extend_schema(responses=ContestOut)
    def get(self, request, pk: int):
        return Response(ContestOut(_contest(request.user, pk)).data)

    @extend_schema(request=ContestIn, responses=ContestOut)
    def patch(self, request, pk: int):
        contest = _contest(request.user, pk)
        data = ContestIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        contest = services.contest_update(user=request.user, contest=contest, **data.validated_data)
        return Response(ContestOut(contest).data)


class RoundOut(serializers.ModelSerializer):
    questions = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "id", "contest", "school", "name", "mode", "opens_at", "closes_at", "duration_s", "attempts_policy",
            "max_attempts", "selection", "draw_spec", "draw_language", "shuffle_questions", "shuffle_choices",
            "scoring_format", "scoring_config", "reveal_during", "reveal_after_attempt", "reveal_after_close",
            "prediction_kind", "prediction_question", "practice", "board_freeze_at", "prediction_actual",
            "finalized_at", "questions",
        ]  # fmt: skip

    def get_questions(self, obj) -> list[int]:
        return [rq.question_version.question_id for rq in obj.round_questions.select_related("question_version")]


class RoundIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    duration_s = serializers.IntegerField()
    attempts_policy = serializers.ChoiceField(choices=AttemptsPolicy.choices)
    max_attempts = serializers.IntegerField(required=False, allow_null=True)
    selection = serializers.ChoiceField(choices=Selection.choices)
    draw_spec = serializers.JSONField(required=False)
    draw_language = serializers.CharField(required=False, allow_blank=True)
    shuffle_questions = serializers.BooleanField(required=False)
    shuffle_choices = serializers.BooleanField(required=False)
    scoring_format = serializers.ChoiceField(choices=[])
    scoring_config = serializers.JSONField(required=False)
    reveal_during = serializers.ChoiceField(choices=Reveal.choices, required=False)
    reveal_after_attempt = serializers.ChoiceField(choices=Reveal.choices, required=False)
    reveal_after_close = serializers.ChoiceField(choices=Reveal.choices, required=False)
    prediction_kind = serializers.ChoiceField(choices=PredictionKind.choices, required=False, allow_blank=True)
    prediction_question = serializers.IntegerField(required=False, allow_null=True)
    practice = serializers.BooleanField(required=False)
    board_freeze_at = serializers.DateTimeField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scoring_format"].choices = [(f.name, str(f.label)) for f in available()]


class RoundCreateApi(APIView):
    permission_classes = [STAFF]

    @extend_schema(request=RoundIn, responses={201: RoundOut})
    def post(self, request, pk: int):
        contest = _contest(request.user, pk)
        data = RoundIn(data=request.data)
        data.is_valid(raise_exception=True)
        round_ = services.round_create(user=request.user, contest=contest, **data.validated_data)
        return Response(RoundOut(round_).data, status=status.HTTP_201_CREATED)


class RoundDetailApi(APIView):
    permission_classes = [STAFF]

    @extend_schema(responses=RoundOut)
    def get(self, request, pk: int):
        return Response(RoundOut(_round(request.user, pk)).data)

    @extend_schema(request=RoundIn, responses=RoundOut)
    def patch(self, request, pk: int):
        round_ = _round(request.user, pk)
        data = RoundIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        round_ = services.round_update(user=request.user, round_=round_, **data.validated_data)
        return Response(RoundOut(round_).data)


class RoundQuestionsApi(APIView):
    """Set a fixed round's questions (bank question ids, in order)."""

    permission_classes = [STAFF]

    class Input(serializers.Serializer):
        questions = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)

    @extend_schema(request=Input, responses=RoundOut)
    def put(self, request, pk: int):
        round_ = _round(request.user, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        services.round_set_questions(user=request.user, round_=round_, question_ids=data.validated_data["questions"])
        return Response(RoundOut(round_).data)


class MonitorApi(APIView):
    """The monitor's figures (the websocket pushes the same ones)."""

    permission_classes = [STAFF]

    @extend_schema(responses=dict)
    def get(self, request, pk: int):
        round_ = _round(request.user, pk)
        services.round_finalize_if_due(round_)
        return Response(selectors.monitor_stats(round_))


class StandingsApi(APIView):
    """Final standings after close (live order before), full names: organisers only."""

    permission_classes = [STAFF]

    @extend_schema(responses=dict)
    def get(self, request, pk: int):
        round_ = _round(request.user, pk)
        services.round_finalize_if_due(round_)
        rows = selectors.board_final(round_) if round_.finalized_at else selectors.board_live(round_, limit=1000)
        return Response(
            {
                "final": round_.finalized_at is not None,
                "prediction_actual": round_.prediction_actual,
                "rows": [
                    {
                        "attempt": a.pk,
                        "rank": a.rank,
                        "name": selectors.display_name(a, public=False),
                        "school": a.student.school.name if a.student else "",
                        "score": a.score,
                        "correct_count": a.correct_count,
                        "prediction": a.prediction,
                        "prediction_error": a.prediction_error,
                        "time_used_ms": a.time_used_ms,
                        "submitted_at": ms(a.submitted_at),
                    }
                    for a in rows
                ],
            }
        )


class RescoreApi(APIView):
    permission_classes = [HasRole(Role.ORGANISER, Role.TEACHER)]

    @extend_schema(request=None, responses=dict)
    def post(self, request, pk: int):
        round_ = _round(request.user, pk)
        return Response(services.rescore_round(round_id=round_.pk))


class CloseOut(serializers.Serializer):
    round = serializers.IntegerField()
    closes_at = serializers.DateTimeField()
    finalized_at = serializers.DateTimeField()
    attempts_ended = serializers.IntegerField()


class RoundCloseApi(APIView):
    """ "Đóng vòng ngay": close the open round now; running attempts end with their saved answers."""

    permission_classes = [HasRole(Role.ORGANISER, Role.TEACHER)]

    @extend_schema(request=None, responses=CloseOut)
    def post(self, request, pk: int):
        round_ = _round(request.user, pk)
        result = services.round_close_now(round_id=round_.pk)
        closed = result.round
        return Response(
            CloseOut(
                {
                    "round": closed.pk,
                    "closes_at": closed.closes_at,
                    "finalized_at": closed.finalized_at,
                    "attempts_ended": result.attempts_ended,
                }
            ).data
        )


class DisqualifyApi(APIView):
    permission_classes = [HasRole(Role.ORGANISER, Role.TEACHER)]

    class Input(serializers.Serializer):
        disqualified = serializers.BooleanField(default=True)
        reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    @extend_schema(request=Input, responses=dict)
    def post(self, request, pk: int):
        attempt = get_object_or_404(Attempt.objects.select_related("round__contest__region"), pk=pk)
        check_scope(request.user, attempt.round, "manage")
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = services.attempt_disqualify(attempt_id=attempt.pk, **data.validated_data)
        return Response({"attempt": attempt.pk, "disqualified": attempt.disqualified, "counted": attempt.counted})


class AnswerLogApi(APIView):
    """Every change of an attempt's responses with server times (appeals)."""

    permission_classes = [STAFF]

    @extend_schema(responses=dict)
    def get(self, request, pk: int):
        attempt = get_object_or_404(Attempt.objects.select_related("round__contest__region"), pk=pk)
        check_scope(request.user, attempt.round, "manage")
        return Response(
            [
                {
                    "question": row.question_version_id,
                    "response": row.response,
                    "received_at": ms(row.received_at),
                    "source": row.source,
                }
                for row in attempt.answer_log.order_by("pk")
            ]
        )
