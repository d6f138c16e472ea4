"""Registrations awaiting verification, and the verify / reject actions."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import Pagination
from core.roles import STAFF_ROLES, HasRole
from schools import selectors
from schools.api.outputs import StudentOut
from schools.models import Student, StudentStatus
from schools.registration import registration_reject, registration_verify


class RegistrationListApi(APIView):
    """Registrations in the user's scope (default: pending), optionally of one school."""

    pagination_class = Pagination  # documents the paged list in the schema

    permission_classes = [HasRole(*STAFF_ROLES)]

    @extend_schema(
        parameters=[OpenApiParameter("status", str), OpenApiParameter("school", str)], responses=StudentOut(many=True)
    )
    def get(self, request):
        wanted = request.query_params.get("status", StudentStatus.PENDING)
        qs = selectors.managed_students(request.user).filter(status=wanted)
        if request.query_params.get("school"):
            qs = qs.filter(school__code=request.query_params["school"])
        qs = qs.select_related("user", "school", "school_class").order_by("registered_at", "id")
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(StudentOut(page, many=True).data)


def _student(pk) -> Student:
    return get_object_or_404(Student.objects.select_related("user", "school", "school_class"), pk=pk)


class RegistrationVerifyApi(APIView):
    @extend_schema(request=None, responses=StudentOut)
    def post(self, request, pk):
        student = registration_verify(actor=request.user, student=_student(pk))
        return Response(StudentOut(student).data)


class RegistrationRejectApi(APIView):
    class Input(serializers.Serializer):
        class Meta:
            ref_name = "SchoolsRejectIn"

        note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    @extend_schema(request=Input, responses=StudentOut)
    def post(self, request, pk):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        student = registration_reject(actor=request.user, student=_student(pk), note=data.validated_data["note"])
        return Response(StudentOut(student).data)
