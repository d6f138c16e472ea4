"""Import (upload -> preview -> confirm) and export endpoints."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.jobs import JobOut
from core.errors import ValidationFailed
from core.jobs import JobStatus, job_json
from quizbank import selectors, services
from quizbank.api.questions import BankStaff, question_filters
from quizbank.exporting import EXPORT_FORMATS, export_questions, xlsx_template
from quizbank.importing import FORMATS, MAX_IMPORT_BYTES
from quizbank.models import ImportJob, QType
from quizbank.rendering import plain_text
from quizbank.scope import bank_for_key


def _key(content: dict) -> dict:
    """What the teacher checks before confirming: each choice and whether it is right (in the
    file's order, which for an ordering question is the right order), or the accepted answers."""
    qtype = content["qtype"]
    choices = content.get("choices") or []
    options = []
    for n, c in enumerate(choices):
        text = plain_text(c.get("text") or "")[:200]
        if qtype == "truefalse":
            # A true/false choice means what its stored position says: "true" first.
            text = _("Đúng") if n == 0 else _("Sai")
        options.append(
            {"text": text, "correct": qtype == "ordering" or bool(c.get("correct")), "weight": c.get("weight")}
        )
    answer = content.get("answer") or {}
    return {
        "options": options,
        "accepted": [str(a) for a in answer.get("accepted", [])] if qtype == "short" else [],
        "value": answer.get("value") if qtype == "numeric" else None,
        "tolerance": answer.get("tolerance") if qtype == "numeric" else None,
    }


def job_data(job: ImportJob) -> dict:
    """An import job as the API and the preview page show it."""
    items = [
        {
            "line": i["line"],
            "qtype": i["content"]["qtype"],
            "qtype_label": str(QType(i["content"]["qtype"]).label),
            "stem": plain_text(i["content"]["stem"])[:300],
            "choices": len(i["content"]["choices"]),
            "key": _key(i["content"]),
            "difficulty": i["content"]["difficulty"],
            "language": i["content"]["language"],
            "topics": i["topics"],
            "tags": i["tags"],
            "duplicate_of": i.get("duplicate_of"),
            "duplicate_line": i.get("duplicate_line"),
            "unmatched_topics": i.get("unmatched_topics", []),
        }
        for i in job.preview
    ]
    duplicates = sum(1 for i in items if i["duplicate_of"] or i["duplicate_line"])
    return job_json(
        job,
        format=job.fmt,
        question_status=job.question_status,
        counts={
            "items": len(items),
            "new": len(items) - duplicates,
            "duplicates": duplicates,
            "errors": len(job.errors),
            "skipped": len(job.skipped),
            "created": len(job.created_ids),
        },
        can_confirm=job.status == JobStatus.READY,
        items=items,
        skipped=job.skipped,
        created_ids=job.created_ids,
    )


class ImportJobOut(JobOut):
    """A question import: the shared job fields (``core.jobs``), then the preview.

    ``status`` is the job's; ``question_status`` the status the questions are created with.
    ``errors[].row`` is the line (or spreadsheet row) of the file."""

    class Meta:
        ref_name = "QuizbankImportJob"

    format = serializers.CharField()
    question_status = serializers.ChoiceField(choices=["draft", "review", "approved"])
    counts = serializers.DictField(child=serializers.IntegerField())
    can_confirm = serializers.BooleanField()
    items = serializers.ListField(child=serializers.DictField())
    skipped = serializers.ListField(child=serializers.DictField())
    created_ids = serializers.ListField(child=serializers.IntegerField())


def read_upload(upload) -> bytes:
    if upload is None:
        raise ValidationFailed(fields={"file": [_("Hãy chọn một tệp.")]})
    if upload.size > MAX_IMPORT_BYTES:
        limit = MAX_IMPORT_BYTES // (1024 * 1024)
        raise ValidationFailed(fields={"file": [_("Tệp lớn quá %(n)d MB.") % {"n": limit}]})
    return upload.read()


class ImportCreateApi(APIView):
    """Upload a file: parse it and return the preview. Nothing is saved to the bank yet."""

    permission_classes = [BankStaff]
    parser_classes = [MultiPartParser, FormParser]

    class Input(serializers.Serializer):
        file = serializers.FileField(required=False)
        format = serializers.ChoiceField(choices=FORMATS, default="auto")
        bank = serializers.CharField(default="mine")
        status = serializers.ChoiceField(choices=["draft", "review", "approved"], default="draft")

    @extend_schema(request={"multipart/form-data": Input}, responses={201: ImportJobOut})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        upload = d.get("file")
        job = services.import_preview(
            user=request.user,
            data=read_upload(upload),
            filename=upload.name,
            bank=bank_for_key(request.user, d["bank"]),
            fmt=d["format"],
            status=d["status"],
        )
        return Response(job_data(job), status=status.HTTP_201_CREATED)


def _job(request, pk) -> ImportJob:
    # A job is private to its uploader; anyone else's answers 404.
    return get_object_or_404(ImportJob, pk=pk, created_by=request.user)


class ImportDetailApi(APIView):
    permission_classes = [BankStaff]

    @extend_schema(responses=ImportJobOut)
    def get(self, request, pk):
        return Response(job_data(_job(request, pk)))


class ImportConfirmApi(APIView):
    """Save every previewed question in one transaction (duplicates skipped unless asked)."""

    permission_classes = [BankStaff]

    class Input(serializers.Serializer):
        include_duplicates = serializers.BooleanField(default=False)

    @extend_schema(request=Input, responses=ImportJobOut)
    def post(self, request, pk):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.import_confirm(
            user=request.user, job=_job(request, pk), include_duplicates=data.validated_data["include_duplicates"]
        )
        return Response(job_data(job))


class ImportCancelApi(APIView):
    permission_classes = [BankStaff]

    @extend_schema(request=None, responses=ImportJobOut)
    def post(self, request, pk):
        return Response(job_data(services.import_cancel(user=request.user, job=_job(request, pk))))


def file_response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ExportApi(APIView):
    """Download the questions matching the list filters as GIFT, Moodle XML or XLSX.

    The format is in the path (``export/gift/``): DRF reserves ``?format=`` for renderers.
    """

    permission_classes = [BankStaff]

    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(EXPORT_FORMATS))],
        responses={(200, ctype.split(";")[0]): OpenApiTypes.BINARY for ctype, _ext in EXPORT_FORMATS.values()},
    )
    def get(self, request, fmt):
        if fmt not in EXPORT_FORMATS:
            raise ValidationFailed(fields={"format": [_("Định dạng không được hỗ trợ: %(f)s.") % {"f": fmt}]})
        qs = selectors.search_questions(request.user, **question_filters(request.query_params)).order_by("pk")
        data, content_type, ext = export_questions(qs, fmt)
        return file_response(data, content_type, f"ngan-hang-cau-hoi.{ext}")


class TemplateApi(APIView):
    """The XLSX import template: Vietnamese headers and an example row."""

    permission_classes = [BankStaff]

    @extend_schema(responses={(200, EXPORT_FORMATS["xlsx"][0]): OpenApiTypes.BINARY})
    def get(self, request):
        return file_response(xlsx_template(), EXPORT_FORMATS["xlsx"][0], "mau-nhap-cau-hoi.xlsx")
