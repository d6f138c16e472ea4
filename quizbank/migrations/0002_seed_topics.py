from django.db import migrations


def forwards(apps, schema_editor):
    from quizbank.topic_seed import seed_topics

    seed_topics(apps.get_model("quizbank", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("quizbank", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
