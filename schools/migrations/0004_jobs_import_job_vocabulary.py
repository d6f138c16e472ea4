# The import job takes the shared job vocabulary (core.jobs): "invalid" becomes "failed",
# ``prepared``/``total_to_prepare`` become the progress counters ``done``/``total``.

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
    ImportJob = apps.get_model("schools", "ImportJob")
    ImportJob.objects.filter(status="invalid").update(status="failed")


def backwards(apps, schema_editor):
    ImportJob = apps.get_model("schools", "ImportJob")
    ImportJob.objects.filter(status="failed").update(status="invalid")
    ImportJob.objects.filter(status__in=["queued", "cancelled"]).update(status="ready")


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0003_card_secret_hashes"),
    ]

    operations = [
        migrations.RenameField(model_name="importjob", old_name="prepared", new_name="done"),
        migrations.RenameField(model_name="importjob", old_name="total_to_prepare", new_name="total"),
        migrations.AddField(
            model_name="importjob",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="file_name",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, default="queued", max_length=10),
        ),
        migrations.RunPython(forwards, backwards),
    ]
