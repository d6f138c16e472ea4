# The export job takes the shared job vocabulary (core.jobs): "pending" becomes "queued", and
# the one ``error`` string becomes the ``errors`` list ({"row", "column", "message"}).

from django.db import migrations, models

STATUS_CHOICES = [
    ("queued", "Đang chờ"),
    ("ready", "Chờ xác nhận"),
    ("running", "Đang chạy"),
    ("done", "Xong"),
    ("failed", "Có lỗi"),
    ("cancelled", "Đã huỷ"),
]


def forwards(apps, schema_editor):
    ExportJob = apps.get_model("leaderboard", "ExportJob")
    ExportJob.objects.filter(status="pending").update(status="queued")
    for job in ExportJob.objects.exclude(error="").only("pk", "error"):
        ExportJob.objects.filter(pk=job.pk).update(errors=[{"row": None, "column": "", "message": job.error}])


def backwards(apps, schema_editor):
    ExportJob = apps.get_model("leaderboard", "ExportJob")
    ExportJob.objects.filter(status="queued").update(status="pending")
    for job in ExportJob.objects.only("pk", "errors"):
        if job.errors:
            ExportJob.objects.filter(pk=job.pk).update(error=job.errors[0]["message"][:300])


class Migration(migrations.Migration):
    dependencies = [
        ("leaderboard", "0003_cert_publication_issuer"),
    ]

    operations = [
        migrations.AddField(
            model_name="exportjob",
            name="errors",
            field=models.JSONField(default=list),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="file_name",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AlterField(
            model_name="exportjob",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, default="queued", max_length=10),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name="exportjob",
            name="error",
        ),
    ]
