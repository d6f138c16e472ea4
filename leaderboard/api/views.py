"""REST API of the leaderboard app: one view per operation, thin, same services as the pages."""

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from contest.models import Contest, Round
from core.api.jobs import JobOut
from core.errors import NotFound
from core.jobs import JobStatus, job_json
from core.roles import in_scope
from leaderboard import services
from leaderboard.aggregation import METRICS, UNITS, unit_ranking
from leaderboard.exports.jobs import KINDS, export_start
from leaderboard.models import ExportJob, Kind, Publication
from leaderboard.rankings import allocate, allocate_individual, individual_ranking
from leaderboard.scopes import parse_filters, ranking_scope
from leaderboard.selectors import BOARDS, board_payload, display_names, public_publications
from leaderboard.topics import topic_breakdown

MAX_ROWS = 1000


def _round(user, pk) -> Round:
    round_ = Round.objects.select_related("contest").filter(pk=pk).first()
    if round_ is None or not in_scope(user, round_, "view"):
        raise NotFound()
    return round_


def _contest(user, pk, *, manage=False) -> Contest:
    contest = Contest.objects.select_related("region").filter(pk=pk).first()
    if contest is None or not in_scope(user, contest, "manage" if manage else "view"):
        raise NotFound()
    if manage:
        services.check_manages_contest(user, contest)
    return contest


class BoardQuery(serializers.Serializer):
    board = serializers.ChoiceField(choices=BOARDS, default="all")
    top = serializers.IntegerField(min_value=1, max_value=50, default=10)


class RoundBoardApi(APIView):
    """The live board of a round as the caller sees it (frozen for students after a freeze)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[BoardQuery])
    def get(self, request, pk):
        q = BoardQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        return Response(board_payload(request.user, round_=_round(request.user, pk), **q.validated_data))


class ContestBoardApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[BoardQuery])
    def get(self, request, pk):
        q = BoardQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        return Response(board_payload(request.user, contest=_contest(request.user, pk), **q.validated_data))


class RankingQuery(serializers.Serializer):
    rounds = serializers.ListField(child=serializers.IntegerField(), required=False)
    level = serializers.CharField(required=False, allow_blank=True)
    grade = serializers.CharField(required=False, allow_blank=True)
    commune = serializers.CharField(required=False, allow_blank=True)


def _scope_filters(request, contest):
    rounds = request.query_params.getlist("rounds") if hasattr(request.query_params, "getlist") else []
    return ranking_scope(contest, rounds), parse_filters(request.query_params, contest)


class IndividualRankingApi(APIView):
    """Organisers' review: the individual ranking with prizes (ties included at boundaries)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[RankingQuery])
    def get(self, request, pk):
        contest = _contest(request.user, pk, manage=True)
        scope, filters = _scope_filters(request, contest)
        rows = individual_ranking(scope, filters)
        allocate_individual(rows, contest)
        return Response({"scope": scope.label(), "count": len(rows), "results": [asdict(r) for r in rows[:MAX_ROWS]]})


class UnitQuery(RankingQuery):
    unit = serializers.ChoiceField(choices=UNITS)
    metric = serializers.ChoiceField(choices=METRICS, default="participants")
    top_k = serializers.IntegerField(min_value=1, max_value=100, default=5)


class UnitRankingApi(APIView):
    """Organisers' review: a unit ranking by the chosen metric, with the unit prizes."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[UnitQuery])
    def get(self, request, pk):
        contest = _contest(request.user, pk, manage=True)
        q = UnitQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        scope, filters = _scope_filters(request, contest)
        d = q.validated_data
        rows = unit_ranking(scope, filters, unit=d["unit"], metric=d["metric"], top_k=d["top_k"])
        allocate(rows, contest.unit_prizes or [], score=lambda r: r.metric(d["metric"]))
        return Response({"scope": scope.label(), "count": len(rows), "results": [asdict(r) for r in rows[:MAX_ROWS]]})


class TopicBreakdownApi(APIView):
    """Correct-answer rate per unit and topic (weakest topics first)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[UnitQuery])
    def get(self, request, pk):
        contest = _contest(request.user, pk, manage=True)
        unit = request.query_params.get("unit", "school")
        if unit not in UNITS:
            unit = "school"
        scope, filters = _scope_filters(request, contest)
        data = topic_breakdown(scope, filters, unit=unit)
        return Response(
            {
                "topics": {str(k): v for k, v in data["topics"].items()},
                "units": {
                    str(u): [
                        {"topic": t, "answers": n, "correct": ok, "rate": round(rate, 4)} for t, n, ok, rate in items
                    ]
                    for u, items in data["units"].items()
                },
            }
        )


class PublicationOut(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    superseded_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Publication
        fields = ["id", "contest", "kind", "title", "metric", "top_k", "filters", "version", "published_at"]
        fields += ["publisher_name", "superseded_by", "superseded_at", "summary", "url"]

    def get_url(self, pub) -> str:
        return reverse("leaderboard:publication", args=[pub.pk])


class PublishApi(APIView):
    """Publish the current ranking as the next immutable version of its series."""

    permission_classes = [IsAuthenticated]

    class Input(serializers.Serializer):
        kind = serializers.ChoiceField(choices=Kind.choices)
        rounds = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
        metric = serializers.ChoiceField(choices=METRICS, required=False, default="participants")
        top_k = serializers.IntegerField(min_value=1, max_value=100, required=False, default=5)
        level = serializers.CharField(required=False, allow_blank=True, default="")
        grade = serializers.IntegerField(required=False, allow_null=True, default=None)
        commune = serializers.IntegerField(required=False, allow_null=True, default=None)
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
        confirmed = serializers.BooleanField(
            required=False, default=False, help_text="Must be true: a publication cannot be taken back."
        )

    @extend_schema(request=Input, responses={201: PublicationOut})
    def post(self, request, pk):
        contest = _contest(request.user, pk, manage=True)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        services.publish_confirmed(d["confirmed"])
        pub = services.ranking_publish(
            user=request.user,
            scope=ranking_scope(contest, d["rounds"]),
            kind=d["kind"],
            filters=parse_filters(d, contest),
            metric=d["metric"],
            top_k=d["top_k"],
            note=d["note"],
        )
        return Response(PublicationOut(pub).data, status=status.HTTP_201_CREATED)


class AttemptReviewApi(APIView):
    """Flag, disqualify or reinstate an attempt, with the reason recorded."""

    permission_classes = [IsAuthenticated]

    class Input(serializers.Serializer):
        action = serializers.CharField()
        reason = serializers.CharField(allow_blank=True, max_length=300)

    @extend_schema(request=Input, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.attempt_review(user=request.user, attempt_id=pk, **data.validated_data)
        return Response(
            {"id": review.pk, "attempt": review.attempt_id, "action": review.action, "reason": review.reason},
            status=status.HTTP_201_CREATED,
        )


class FreezeApi(APIView):
    """Freeze a round's board now (``freeze``) or lift the freeze (``unfreeze``)."""

    permission_classes = [IsAuthenticated]

    def post(self, request, pk, action):
        round_ = Round.objects.select_related("contest").filter(pk=pk).first()
        if round_ is None:
            raise NotFound()
        if action == "freeze":
            round_ = services.board_freeze(user=request.user, round_=round_)
        else:
            round_ = services.board_unfreeze(user=request.user, round_=round_)
        return Response({"round": round_.pk, "board_freeze_at": round_.board_freeze_at})


class PublicationListApi(APIView):
    """Published rankings (public): the current version of each series, newest first."""

    permission_classes = [AllowAny]

    @extend_schema(responses=PublicationOut(many=True))
    def get(self, request):
        pubs = public_publications().filter(superseded_at__isnull=True)[:200]
        return Response(PublicationOut(pubs, many=True).data)


class PublicationDetailApi(APIView):
    """A published ranking (public): its rows with consent-aware names, 100 per page."""

    permission_classes = [AllowAny]

    def get(self, request, pk):
        pub = get_object_or_404(Publication, pk=pk)
        try:
            page = max(1, int(request.query_params.get("page", 1)))
        except ValueError:
            page = 1
        rows = list(pub.rows.order_by("position")[(page - 1) * 100 : page * 100])
        names = display_names(pub, rows)
        return Response(
            {
                **PublicationOut(pub).data,
                "page": page,
                "rows": [
                    {
                        "rank": r.rank,
                        "name": names[r.pk],
                        "class": r.class_name,
                        "school": r.school_name,
                        "commune": r.commune_name,
                        "prize": r.prize,
                        "values": {k: v for k, v in r.values.items() if k != "user"},
                    }
                    for r in rows
                ],
            }
        )


class ExportJobOut(JobOut):
    """An export job: the shared job fields, its kind, and its file once done."""

    kind = serializers.ChoiceField(choices=KINDS)
    download = serializers.CharField(allow_null=True)


def _job(job: ExportJob) -> dict:
    download = reverse("leaderboard:export_download", args=[job.pk]) if job.status == JobStatus.DONE else None
    return job_json(job, kind=job.kind, download=download)


class ExportCreateApi(APIView):
    """Start a long export (full XLSX, certificates); poll ``export`` for its progress."""

    permission_classes = [IsAuthenticated]

    class Input(serializers.Serializer):
        kind = serializers.ChoiceField(choices=KINDS)

    @extend_schema(request=Input, responses={201: ExportJobOut})
    def post(self, request, pk):
        pub = Publication.objects.select_related("contest").filter(pk=pk).first()
        if pub is None:
            raise NotFound()
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        from leaderboard.views import base_url

        job = export_start(
            user=request.user, publication=pub, kind=data.validated_data["kind"], base_url=base_url(request)
        )
        return Response(_job(job), status=status.HTTP_201_CREATED)


class ExportApi(APIView):
    """An export job's progress (only its creator sees it)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ExportJobOut)
    def get(self, request, pk):
        job = ExportJob.objects.defer("content").filter(pk=pk, created_by=request.user).first()
        if job is None:
            raise NotFound()
        return Response(_job(job))
