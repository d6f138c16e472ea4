from django.db import migrations


def forwards(apps, schema_editor):
    from quizbank.topic_seed import RENAMED, seed_topics

    Topic = apps.get_model("quizbank", "Topic")
    for old, new in RENAMED.items():
        if not Topic.objects.filter(slug=new).exists():
            Topic.objects.filter(slug=old).update(slug=new)
    seed_topics(Topic)


class Migration(migrations.Migration):
    dependencies = [("quizbank", "0002_seed_topics")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
