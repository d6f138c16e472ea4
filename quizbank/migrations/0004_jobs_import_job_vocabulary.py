# The import job takes the shared job vocabulary (core.jobs): ``state`` becomes ``status``
# ("preview" is "ready", or "failed" when the file had errors), the old ``status`` (what the
# created questions get) becomes ``question_status``, ``filename`` becomes ``file_name``,
# errors take the shape {"row", "column", "message"} and the job counts done/total.

from django.db import migrations, models

STATUS_CHOICES = [
    ("queued", "Đang chờ"),
    ("ready", "Chờ xác nhận"),
    ("running", "Đang chạy"),
    ("done", "Xong"),
    ("failed", "Có lỗi"),
    ("cancelled", "Đã huỷ"),
]


def _new_items(preview):
    return [i for i in preview if not i.get("duplicate_of") and not i.get("duplicate_line")]


def forwards(apps, schema_editor):
    ImportJob = apps.get_model("quizbank", "ImportJob")
    for job in ImportJob.objects.all().only("pk", "status", "errors", "preview", "created_ids", "created_at"):
        errors = [
            {"row": e.get("line"), "column": "", "message": e.get("message", "")} if "line" in e else e
            for e in job.errors
        ]
        changes = {"errors": errors}
        if job.status == "preview":
            changes["status"] = "failed" if errors else "ready"
            changes["total"] = len(_new_items(job.preview))
            if errors:
                changes["finished_at"] = job.created_at
        elif job.status == "done":
            changes["done"] = changes["total"] = len(job.created_ids)
        ImportJob.objects.filter(pk=job.pk).update(**changes)


def backwards(apps, schema_editor):
    ImportJob = apps.get_model("quizbank", "ImportJob")
    for job in ImportJob.objects.all().only("pk", "status", "errors"):
        errors = [{"line": e.get("row"), "message": e.get("message", "")} for e in job.errors]
        status = {"ready": "preview", "failed": "preview", "queued": "preview", "running": "preview"}.get(
            job.status, job.status
        )
        ImportJob.objects.filter(pk=job.pk).update(errors=errors, status=status)


class Migration(migrations.Migration):
    dependencies = [
        ("quizbank", "0003_rename_topic_slugs"),
    ]

    operations = [
        migrations.RenameField(model_name="importjob", old_name="status", new_name="question_status"),
        migrations.RenameField(model_name="importjob", old_name="state", new_name="status"),
        migrations.RenameField(model_name="importjob", old_name="filename", new_name="file_name"),
        migrations.AlterField(
            model_name="importjob",
            name="file_name",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name="importjob",
            name="done",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="importjob",
            name="total",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="importjob",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, default="queued", max_length=10),
        ),
    ]
