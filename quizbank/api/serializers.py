"""Output shapes shared by the question-bank endpoints."""

from rest_framework import serializers

from quizbank.scope import can_approve, can_edit


class TopicOut(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class StatsOut(serializers.Serializer):
    times_used = serializers.IntegerField()
    answer_count = serializers.IntegerField()
    facility = serializers.FloatField(allow_null=True)
    discrimination = serializers.FloatField(allow_null=True)
    avg_time_s = serializers.FloatField(allow_null=True)


class QuestionOut(serializers.Serializer):
    """A row of the bank: what lists and the browser need (no choices)."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    owner_kind = serializers.CharField()
    owner_school = serializers.CharField(source="owner_school.name", default=None, allow_null=True)
    owner_user = serializers.CharField(source="owner_user.username", default=None)
    shared_with_school = serializers.BooleanField()
    author = serializers.CharField(source="author.username", default=None)
    qtype = serializers.CharField()
    qtype_label = serializers.CharField(source="get_qtype_display")
    difficulty = serializers.IntegerField()
    language = serializers.CharField()
    stem = serializers.CharField(source="current_version.stem")
    version = serializers.IntegerField(source="current_version.number")
    version_id = serializers.IntegerField(source="current_version_id")
    topics = TopicOut(many=True, source="topics.all")
    tags = serializers.ListField(child=serializers.CharField())
    stats = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()
    can_edit = serializers.SerializerMethodField()
    can_approve = serializers.SerializerMethodField()

    def get_stats(self, q) -> dict:
        return StatsOut(q).data

    def get_can_edit(self, q) -> bool:
        return can_edit(self.context["request"].user, q)

    def get_can_approve(self, q) -> bool:
        return can_approve(self.context["request"].user, q)


class ChoiceOut(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    correct = serializers.BooleanField()
    weight = serializers.FloatField()


class ContentOut(serializers.Serializer):
    qtype = serializers.CharField()
    stem = serializers.CharField()
    choices = ChoiceOut(many=True)
    answer = serializers.DictField()
    partial_credit = serializers.BooleanField()
    difficulty = serializers.IntegerField()
    language = serializers.CharField()
    explanation = serializers.CharField()
    source = serializers.CharField()
    time_limit_s = serializers.IntegerField(allow_null=True)
    image = serializers.SerializerMethodField()

    def get_image(self, v) -> str | None:
        return v.image.url if v.image else None


class QuestionDetailOut(QuestionOut):
    """One question for its editors and the staff who may use it: content with answers."""

    content = ContentOut(source="current_version")
    versions = serializers.IntegerField(source="versions.count")
