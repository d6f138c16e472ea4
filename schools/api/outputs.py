"""Output serializers shared by several schools endpoints."""

from rest_framework import serializers

from schools.selectors import public_name


class RegionOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    legacy_label = serializers.CharField()
    is_demo = serializers.BooleanField()


class SchoolOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    levels = serializers.ListField(child=serializers.CharField())
    commune = serializers.CharField(source="commune.code")
    commune_name = serializers.CharField(source="commune.name")
    is_demo = serializers.BooleanField()


class ClassOut(serializers.Serializer):
    id = serializers.IntegerField()
    school = serializers.CharField(source="school.code")
    school_year = serializers.CharField()
    grade = serializers.IntegerField()
    name = serializers.CharField()


class StudentOut(serializers.Serializer):
    """A pupil as their school sees them (staff in scope, or the pupil themself)."""

    id = serializers.IntegerField()
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField()
    public_name = serializers.SerializerMethodField()
    school = serializers.CharField(source="school.code")
    school_class = serializers.IntegerField(source="school_class_id", allow_null=True)
    class_name = serializers.CharField(source="school_class.name", default="")
    grade = serializers.IntegerField()
    date_of_birth = serializers.DateField(allow_null=True)
    student_code = serializers.CharField()
    gender = serializers.CharField()
    status = serializers.CharField()
    consent_student = serializers.BooleanField()
    consent_guardian = serializers.BooleanField()
    publish_name = serializers.BooleanField()

    def get_public_name(self, student) -> str:
        return public_name(student)
