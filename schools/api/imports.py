"""Upload a file for preview, follow the job, advance it to the commit."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.jobs import JobErrorOut
from core.api.jobs import JobOut as CoreJobOut
from core.errors import NotFound
from core.jobs import JobStatus
from core.roles import STAFF_ROLES, HasRole
from schools.imports import jobs
from schools.imports.files import MAX_BYTES
from schools.models import ImportJob, ImportKind, School

PREVIEW_ROWS = 500


class JobOut(CoreJobOut):
    """An import job: the shared job fields (``core.jobs``), then the plan for the preview."""

    class Meta:
        ref_name = "SchoolsImportJob"

    kind = serializers.ChoiceField(choices=ImportKind.choices)
    school = serializers.CharField(source="school.code", default=None)
    school_year = serializers.CharField()
    summary = serializers.DictField(child=serializers.IntegerField())
    errors = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()
    rows = serializers.SerializerMethodField()
    classes = serializers.SerializerMethodField()

    @extend_schema_field(JobErrorOut(many=True))
    def get_errors(self, job) -> list[dict]:
        return jobs.error_messages(job)

    def get_warnings(self, job) -> list[dict]:
        return jobs.warning_messages(job)

    def get_rows(self, job) -> list[dict]:
        """The plan, without secrets, for the preview table."""
        keep = (
            "row",
            "action",
            "code",
            "name",
            "kind",
            "parent",
            "levels",
            "commune",
            "full_name",
            "date_of_birth",
            "class_name",
            "student_code",
            "gender",
        )
        return [{k: r[k] for k in keep if k in r} for r in job.rows[:PREVIEW_ROWS]]

    def get_classes(self, job) -> list[dict]:
        if job.status != JobStatus.DONE:
            return []
        return [
            {"id": c.pk, "name": c.name, "cards_url": reverse("schools-api:class-cards", args=[c.pk])}
            for c in job.classes.order_by("grade", "name")
        ]


def job_for(user, pk) -> ImportJob:
    """Only the uploader (or a superuser) sees a job: it holds pupils' data."""
    job = get_object_or_404(ImportJob.objects.select_related("school"), pk=pk)
    if job.created_by_id != user.pk and not user.is_superuser:
        raise NotFound()
    return job


class ImportCreateApi(APIView):
    """Upload a CSV/XLSX file; answers the preview: the plan and every row's errors."""

    permission_classes = [HasRole(*STAFF_ROLES)]
    parser_classes = [MultiPartParser, FormParser]

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "SchoolsImportIn"

        kind = serializers.ChoiceField(choices=ImportKind.choices)
        file = serializers.FileField()
        school = serializers.CharField(max_length=32, required=False, allow_blank=True)
        school_year = serializers.CharField(max_length=9, required=False, allow_blank=True)
        is_demo = serializers.BooleanField(default=False)

    @extend_schema(request={"multipart/form-data": Input}, responses={201: JobOut})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        school = None
        if values.get("school"):
            school = School.objects.filter(code=values["school"]).first()
            if school is None:
                raise NotFound()
        upload = values["file"]
        job = jobs.import_preview(
            actor=request.user,
            kind=values["kind"],
            file_name=upload.name,
            data=upload.read(MAX_BYTES + 1),
            school=school,
            school_year=values.get("school_year", ""),
            is_demo=values["is_demo"],
        )
        return Response(JobOut(job).data, status=status.HTTP_201_CREATED)


class ImportDetailApi(APIView):
    @extend_schema(responses=JobOut)
    def get(self, request, pk):
        return Response(JobOut(job_for(request.user, pk)).data)


class ImportAdvanceApi(APIView):
    """One step of a ready job; call again until ``status`` is "done" (``done`` of ``total`` grows)."""

    @extend_schema(request=None, responses=JobOut)
    def post(self, request, pk):
        job = jobs.import_advance(actor=request.user, job=job_for(request.user, pk))
        return Response(JobOut(job).data)
