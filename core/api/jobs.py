"""The OpenAPI shape of a job (``core.jobs.job_json``); apps extend it with their own fields."""

from rest_framework import serializers

from core.jobs import JobStatus


class JobErrorOut(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="Line or row of the file; null for the whole file.")
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class JobOut(serializers.Serializer):
    """Every import and export job answers at least these fields, with these words.

    It serializes a ``core.jobs.Job`` as ``core.jobs.job_json`` does (the schema of both)."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=JobStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    done = serializers.IntegerField(help_text="Steps finished, of total.")
    total = serializers.IntegerField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    file_name = serializers.CharField(allow_blank=True)
    errors = JobErrorOut(many=True)
