"""Schools, classes, rosters and pupils, for the people in scope.

Every view resolves the object and calls ``check_scope`` (out of scope -> 404), then one
selector or service.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import Pagination
from core.errors import NotFound
from core.roles import STAFF_ROLES, HasRole, check_scope
from schools import selectors, services
from schools.api.outputs import ClassOut, SchoolOut, StudentOut
from schools.cards import login_cards_pdf
from schools.models import MembershipRole, School, SchoolClass, Student


def _paginate(view, request, qs, serializer):
    paginator = Pagination()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


def school_by_code(user, code: str, action: str = "view") -> School:
    school = get_object_or_404(School.objects.select_related("commune"), code=code)
    check_scope(user, school, action)
    return school


def class_by_id(user, pk: int, action: str = "manage") -> SchoolClass:
    school_class = get_object_or_404(SchoolClass.objects.select_related("school"), pk=pk)
    check_scope(user, school_class, action)
    return school_class


class SchoolListApi(APIView):
    """Schools in the user's scope; ``q`` searches names and codes without accents."""

    pagination_class = Pagination  # documents the paged list in the schema

    @extend_schema(parameters=[OpenApiParameter("q", str)], responses=SchoolOut(many=True))
    def get(self, request):
        qs = selectors.search_schools(selectors.schools_in_scope(request.user), request.query_params.get("q", ""))
        return _paginate(self, request, qs.select_related("commune").order_by("name_search", "code"), SchoolOut)


class SchoolDetailApi(APIView):
    class Output(SchoolOut):
        class Meta:
            ref_name = "SchoolsSchoolDetail"

        enrolment = serializers.SerializerMethodField()

        def get_enrolment(self, school) -> list[dict]:
            return [{"level": e.level, "grade": e.grade, "count": e.count} for e in school.enrolments.all()]

    @extend_schema(responses=Output)
    def get(self, request, code):
        return Response(self.Output(school_by_code(request.user, code)).data)


class ClassListApi(APIView):
    """Classes the user manages (a teacher's own, a coordinator's school), optionally of one school."""

    pagination_class = Pagination  # documents the paged list in the schema

    permission_classes = [HasRole(*STAFF_ROLES)]

    class Output(ClassOut):
        class Meta:
            ref_name = "SchoolsClassWithCount"

        students = serializers.IntegerField(source="student_count")

    @extend_schema(
        parameters=[OpenApiParameter("school", str), OpenApiParameter("year", str)], responses=Output(many=True)
    )
    def get(self, request):
        qs = selectors.classes_with_counts(selectors.classes_in_scope(request.user))
        if request.query_params.get("school"):
            qs = qs.filter(school__code=request.query_params["school"])
        if request.query_params.get("year"):
            qs = qs.filter(school_year=request.query_params["year"])
        return _paginate(
            self, request, qs.select_related("school").order_by("-school_year", "grade", "name"), self.Output
        )


class ClassStudentsApi(APIView):
    """A class list in Vietnamese order; ``q`` searches without accents."""

    pagination_class = Pagination  # documents the paged list in the schema

    @extend_schema(parameters=[OpenApiParameter("q", str)], responses=StudentOut(many=True))
    def get(self, request, pk):
        school_class = class_by_id(request.user, pk)
        qs = selectors.search_students(selectors.class_roster(school_class), request.query_params.get("q", ""))
        return _paginate(self, request, qs.select_related("school", "school_class"), StudentOut)


class ClassTeacherAddApi(APIView):
    """Assign a teacher (by username) to a class; coordinators and organisers only."""

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "SchoolsClassTeacherIn"

        username = serializers.CharField(max_length=150)

    @extend_schema(request=Input, responses={204: None})
    def post(self, request, pk):
        school_class = class_by_id(request.user, pk)
        if not selectors.user_coordinates_school(request.user, school_class.school):
            raise NotFound()  # a teacher of the class: the action does not exist for them
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        services.class_teacher_add(
            actor=request.user, school_class=school_class, username=data.validated_data["username"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class LoginCardsApi(APIView):
    """The printable login cards of a class (PDF)."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        school_class = class_by_id(request.user, pk)
        pdf = login_cards_pdf(school_class=school_class, login_url=request.build_absolute_uri("/accounts/login/"))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="the-dang-nhap-{school_class.pk}.pdf"'
        response["Cache-Control"] = "no-store"  # it carries passwords
        return response


class StudentDetailApi(APIView):
    @extend_schema(responses=StudentOut)
    def get(self, request, pk):
        student = get_object_or_404(Student.objects.select_related("user", "school", "school_class"), pk=pk)
        check_scope(request.user, student, "view")
        return Response(StudentOut(student).data)


class MyStudentApi(APIView):
    """The signed-in pupil's own record."""

    @extend_schema(responses=StudentOut)
    def get(self, request):
        student = selectors.student_of(request.user)
        if student is None:
            raise NotFound()
        return Response(StudentOut(student).data)


class StudentConsentApi(APIView):
    """Record the consents the school collected for a pupil."""

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "SchoolsConsentIn"

        consent_student = serializers.BooleanField()
        consent_guardian = serializers.BooleanField()
        publish_name = serializers.BooleanField()

    @extend_schema(request=Input, responses=StudentOut)
    def post(self, request, pk):
        student = get_object_or_404(Student.objects.select_related("user", "school", "school_class"), pk=pk)
        check_scope(request.user, student, "manage")
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        student = services.student_set_consent(student=student, actor=request.user, **data.validated_data)
        return Response(StudentOut(student).data)


class MemberListApi(APIView):
    """A school's staff; coordinators appoint teachers, organisers also coordinators."""

    class Output(serializers.Serializer):
        class Meta:
            ref_name = "SchoolsMember"

        username = serializers.CharField(source="user.username")
        full_name = serializers.SerializerMethodField()
        role = serializers.CharField()

        def get_full_name(self, membership) -> str:
            return membership.user.get_full_name()

    class Input(serializers.Serializer):
        class Meta:
            ref_name = "SchoolsMemberIn"

        username = serializers.CharField(max_length=150)
        role = serializers.ChoiceField(choices=[MembershipRole.COORDINATOR, MembershipRole.TEACHER])

    @extend_schema(responses=Output(many=True))
    def get(self, request, code):
        school = school_by_code(request.user, code, "manage")
        qs = school.memberships.select_related("user").order_by("role", "user__username")
        return Response(self.Output(qs, many=True).data)

    @extend_schema(request=Input, responses={201: Output})
    def post(self, request, code):
        school = school_by_code(request.user, code, "manage")
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_appoint(
            actor=request.user,
            school=school,
            username=data.validated_data["username"],
            role=data.validated_data["role"],
        )
        return Response(self.Output(membership).data, status=status.HTTP_201_CREATED)
