from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contest", "0005_cert_official_papers"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="prediction_question",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="Câu hỏi dự đoán hỏi về câu số"
            ),
        ),
        migrations.AlterField(
            model_name="round",
            name="prediction_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Không có câu dự đoán"),
                    ("all_correct", "Bao nhiêu người trả lời đúng tất cả các câu?"),
                    ("participants", "Bao nhiêu người tham gia?"),
                    ("question", "Bao nhiêu người trả lời đúng một câu hỏi được chọn?"),
                ],
                default="",
                max_length=20,
                verbose_name="Câu hỏi dự đoán",
            ),
        ),
    ]
