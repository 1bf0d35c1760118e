from django.db import migrations

KINDS = [
    ("lesson-plan", "План урока", "Lesson plan", False),
    ("presentation", "Презентация", "Presentation", False),
    ("video", "Видео", "Video", True),
    ("audio", "Аудио", "Audio", False),
    ("recommendations-teachers", "Методические рекомендации для учителей",
     "Methodological recommendations for teachers", False),
    ("recommendations-pupils", "Рекомендации для учащихся", "Recommendations for pupils", False),
    ("recommendations-parents", "Рекомендации для родителей", "Recommendations for parents",
     False),
    ("normative", "Нормативный документ", "Normative document", False),
    ("best-practice", "Описание лучшей практики", "Best practice description", False),
    ("link", "Ссылка", "Link", True),
]  # fmt: skip


def seed(apps, schema_editor):
    kind = apps.get_model("resources", "ResourceKind")
    for order, (code, name, name_en, takes_link) in enumerate(KINDS, start=1):
        kind.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "order": order, "takes_link": takes_link},
        )


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
