"""REST endpoints of the question bank: one APIView per operation, thin.

Only staff (teachers, coordinators, organisers) reach the bank; questions outside a user's
scope answer 404 (core.roles.check_scope via quizbank.scope).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import Pagination
from core.errors import Forbidden
from core.roles import STAFF_ROLES, HasRole, check_scope, in_scope
from quizbank import selectors, services
from quizbank.api.serializers import QuestionDetailOut, QuestionOut
from quizbank.content import clean_content
from quizbank.models import Question, QuestionVersion, Status
from quizbank.presentation import student_payload
from quizbank.scope import bank_for_key, writable_banks
from quizbank.services.workflow import BULK_ACTIONS

BankStaff = HasRole(*STAFF_ROLES)


class ChoiceIn(serializers.Serializer):
    id = serializers.CharField(required=False, allow_blank=True, max_length=20)
    text = serializers.CharField(allow_blank=True, max_length=2000, trim_whitespace=False)
    correct = serializers.BooleanField(default=False)
    weight = serializers.FloatField(required=False, default=0.0)


class ContentIn(serializers.Serializer):
    qtype = serializers.CharField(max_length=10)
    stem = serializers.CharField(allow_blank=True, max_length=10000, trim_whitespace=False)
    choices = ChoiceIn(many=True, required=False, default=list)
    answer = serializers.DictField(required=False, default=dict)
    partial_credit = serializers.BooleanField(required=False, default=False)
    difficulty = serializers.IntegerField(required=False, default=2)
    language = serializers.CharField(required=False, default="vi", max_length=2)
    explanation = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    source = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    time_limit_s = serializers.IntegerField(required=False, allow_null=True, default=None)


def question_filters(params) -> dict:
    """List filters from query parameters; empty values (an "All" option) mean no filter."""

    def values(name):
        return [v for v in params.getlist(name) if v.strip()] or None

    difficulty = [d for d in params.getlist("difficulty") if d in ("1", "2", "3")]
    return {
        "q": params.get("q", "")[:200],
        "topic": values("topic"),
        "qtype": values("type"),
        "difficulty": difficulty or None,
        "status": values("status"),
        "language": values("language"),
        "owner": params.get("owner") or None,
    }


def _get_question(request, pk, action="view") -> Question:
    """The question if the user may see it (else 404); 403 if they see it but may not ``action``."""
    question = get_object_or_404(Question.objects.select_related("current_version"), pk=pk)
    check_scope(request.user, question, "view")
    if action != "view" and not in_scope(request.user, question, action):
        raise Forbidden()
    return question


class QuestionListApi(APIView):
    """List the questions the user may see (filters, accent-insensitive ``q``), or create one."""

    pagination_class = Pagination  # documents the paged list in the schema

    permission_classes = [BankStaff]

    class Input(ContentIn):
        bank = serializers.CharField(default="mine")
        topics = serializers.ListField(child=serializers.CharField(), required=False, default=list)
        tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list)
        status = serializers.ChoiceField(choices=Status.choices, default=Status.DRAFT)
        shared_with_school = serializers.BooleanField(default=False)
        allow_duplicate = serializers.BooleanField(default=False)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="accent-free search of stem, choices, answers, tags, id"),
            OpenApiParameter("topic", str, many=True, description="topic slug or id (sub-topics included)"),
            OpenApiParameter("type", str, many=True),
            OpenApiParameter("difficulty", str, many=True, description="1, 2 or 3; other values are ignored"),
            OpenApiParameter("status", str, many=True),
            OpenApiParameter("language", str, many=True),
            OpenApiParameter("owner", str, description="official, school, mine or shared"),
        ],
        responses=QuestionOut(many=True),
    )
    def get(self, request):
        qs = selectors.search_questions(request.user, **question_filters(request.query_params))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(QuestionOut(page, many=True, context={"request": request}).data)

    @extend_schema(request=Input, responses={201: QuestionDetailOut})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        question = services.question_create(
            user=request.user,
            bank=bank_for_key(request.user, d["bank"]),
            content={k: d[k] for k in ContentIn().fields},
            topics=d["topics"],
            tags=d["tags"],
            status=d["status"],
            shared_with_school=d["shared_with_school"],
            allow_duplicate=d["allow_duplicate"],
        )
        out = QuestionDetailOut(question, context={"request": request})
        return Response(out.data, status=status.HTTP_201_CREATED)


class QuestionDetailApi(APIView):
    """Read, edit (a used version gets a new version) or delete one question."""

    permission_classes = [BankStaff]

    class Input(serializers.Serializer):
        content = serializers.DictField(required=False)
        topics = serializers.ListField(child=serializers.CharField(), required=False)
        tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False)
        shared_with_school = serializers.BooleanField(required=False)
        allow_duplicate = serializers.BooleanField(default=False)

    @extend_schema(responses=QuestionDetailOut)
    def get(self, request, pk):
        question = _get_question(request, pk)
        return Response(QuestionDetailOut(question, context={"request": request}).data)

    @extend_schema(request=Input, responses=QuestionDetailOut)
    def patch(self, request, pk):
        question = _get_question(request, pk, "change")
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        question = services.question_update(
            user=request.user,
            question=question,
            content=d.get("content"),
            topics=d.get("topics"),
            tags=d.get("tags"),
            shared_with_school=d.get("shared_with_school"),
            allow_duplicate=d["allow_duplicate"],
        )
        return Response(QuestionDetailOut(question, context={"request": request}).data)

    def delete(self, request, pk):
        question = _get_question(request, pk, "change")
        services.question_delete(user=request.user, question=question)
        return Response(status=status.HTTP_204_NO_CONTENT)


class QuestionStatusApi(APIView):
    """Move a question through the workflow: draft -> review -> approved -> retired."""

    permission_classes = [BankStaff]

    class Input(serializers.Serializer):
        status = serializers.ChoiceField(choices=Status.choices)

    @extend_schema(request=Input, responses=QuestionOut)
    def post(self, request, pk):
        question = _get_question(request, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_set_status(
            user=request.user, question=question, status=data.validated_data["status"]
        )
        return Response(QuestionOut(question, context={"request": request}).data)


class QuestionCopyApi(APIView):
    """Copy a visible question into one of the user's banks, as a draft."""

    permission_classes = [BankStaff]

    class Input(serializers.Serializer):
        bank = serializers.CharField(default="mine")

    @extend_schema(request=Input, responses={201: QuestionOut})
    def post(self, request, pk):
        question = _get_question(request, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        copy = services.question_copy(
            user=request.user, question=question, bank=bank_for_key(request.user, data.validated_data["bank"])
        )
        return Response(QuestionOut(copy, context={"request": request}).data, status=status.HTTP_201_CREATED)


class QuestionProposeApi(APIView):
    """Propose a question to the official bank (a copy in review, for organisers)."""

    permission_classes = [BankStaff]

    @extend_schema(request=None, responses={201: QuestionOut})
    def post(self, request, pk):
        question = _get_question(request, pk, "change")
        copy = services.question_propose_official(user=request.user, question=question)
        return Response(QuestionOut(copy, context={"request": request}).data, status=status.HTTP_201_CREATED)


class QuestionPreviewApi(APIView):
    """Render content as a student will see it, without saving (the editor's live preview)."""

    permission_classes = [BankStaff]

    @extend_schema(request=ContentIn)
    def post(self, request):
        data = ContentIn(data=request.data)
        data.is_valid(raise_exception=True)
        content = clean_content(dict(data.validated_data))
        version = QuestionVersion(**content)
        return Response(student_payload(version, choice_order=None))


class BulkApi(APIView):
    """One action on many questions, all or nothing."""

    permission_classes = [BankStaff]

    class Input(serializers.Serializer):
        ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=500)
        action = serializers.ChoiceField(choices=BULK_ACTIONS)
        value = serializers.CharField(required=False, allow_blank=True, default="")

    class Output(serializers.Serializer):
        changed = serializers.IntegerField()

    @extend_schema(request=Input, responses=Output)
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        changed = services.bulk_action(user=request.user, ids=d["ids"], action=d["action"], value=d["value"] or None)
        return Response({"changed": changed})


class TopicListApi(APIView):
    """The topic tree, parents before children."""

    permission_classes = [BankStaff]

    class Output(serializers.Serializer):
        id = serializers.IntegerField()
        slug = serializers.CharField()
        name_vi = serializers.CharField()
        name_en = serializers.CharField()
        parent = serializers.CharField(source="parent.slug", default=None, allow_null=True)
        depth = serializers.IntegerField()

    @extend_schema(responses=Output(many=True))
    def get(self, request):
        rows = []
        for topic, depth in selectors.topic_tree():
            topic.depth = depth
            rows.append(topic)
        return Response(self.Output(rows, many=True).data)


class BankListApi(APIView):
    """The banks the user may add questions to (keys for ``bank`` fields)."""

    permission_classes = [BankStaff]

    class Output(serializers.Serializer):
        key = serializers.CharField()
        label = serializers.CharField()
        owner_kind = serializers.CharField()

    @extend_schema(responses=Output(many=True))
    def get(self, request):
        return Response(self.Output(writable_banks(request.user), many=True).data)
