"""Public lists for self-registration (province -> commune -> school -> class) and the form."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import NotFound
from schools import selectors
from schools.api.outputs import RegionOut, SchoolOut, StudentOut
from schools.models import Region, RegionKind, School, SchoolClass
from schools.registration import registration_submit

LIST_LIMIT = 500


class RegionListApi(APIView):
    """Provinces, or the communes of ``parent``; ``q`` searches names without accents."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("parent", str), OpenApiParameter("q", str)], responses=RegionOut(many=True)
    )
    def get(self, request):
        parent = request.query_params.get("parent", "").strip()
        if parent:
            qs = Region.objects.filter(parent__code=parent, kind=RegionKind.COMMUNE)
        else:
            qs = Region.objects.filter(kind=RegionKind.PROVINCE)
        qs = selectors.search_regions(qs, request.query_params.get("q", ""))
        return Response(RegionOut(qs.order_by("name_search", "code")[:LIST_LIMIT], many=True).data)


class CommuneSchoolsApi(APIView):
    """Schools of one commune, searchable without accents."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("q", str)], responses=SchoolOut(many=True))
    def get(self, request, code):
        commune = Region.objects.filter(code=code, kind=RegionKind.COMMUNE).first()
        if commune is None:
            raise NotFound()
        qs = selectors.search_schools(commune.schools.select_related("commune"), request.query_params.get("q", ""))
        return Response(SchoolOut(qs.order_by("name_search", "code")[:LIST_LIMIT], many=True).data)


class SchoolClassesPublicApi(APIView):
    """Class names of a school for the current school year (no pupils), to register into."""

    permission_classes = [AllowAny]

    class Output(serializers.Serializer):
        class Meta:
            ref_name = "SchoolsPublicClass"

        id = serializers.IntegerField()
        name = serializers.CharField()
        grade = serializers.IntegerField()
        school_year = serializers.CharField()

    @extend_schema(responses=Output(many=True))
    def get(self, request, code):
        school = School.objects.filter(code=code).first()
        if school is None:
            raise NotFound()
        qs = SchoolClass.objects.filter(school=school, school_year=selectors.current_school_year()).order_by(
            "grade", "name"
        )
        return Response(self.Output(qs, many=True).data)


class RegistrationSubmitApi(APIView):
    """Self-registration of a pupil; the account awaits verification by the school."""

    permission_classes = [AllowAny]

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "SchoolsRegistrationIn"

        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, trim_whitespace=False)
        full_name = serializers.CharField(max_length=120)
        date_of_birth = serializers.DateField(input_formats=["%d/%m/%Y", "%Y-%m-%d"])
        school = serializers.CharField(max_length=32)
        school_class = serializers.IntegerField()
        consent_student = serializers.BooleanField(default=False)
        consent_guardian = serializers.BooleanField(default=False)
        publish_name = serializers.BooleanField(default=False)

    @extend_schema(request=Input, responses={201: StudentOut})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        school = School.objects.filter(code=values.pop("school")).first()
        school_class = SchoolClass.objects.filter(pk=values.pop("school_class"), school=school).first()
        if school is None or school_class is None:
            raise NotFound()
        student = registration_submit(school=school, school_class=school_class, **values)
        return Response(StudentOut(student).data, status=status.HTTP_201_CREATED)
