"""The topics of consultation requests named by the regulations (003 app. 1 §4.1.2: preparing
for PISA, ЕГЭ, ОГЭ, ВПР; managing the school's move to effective work) as data; the centre may
add more in the admin."""

from django.db import migrations

TOPICS = [
    # code, Russian name, English name
    ("oge", "Подготовка к ОГЭ", "Preparing for the OGE"),
    ("ege", "Подготовка к ЕГЭ", "Preparing for the EGE"),
    ("vpr", "Подготовка к ВПР", "Preparing for the VPR"),
    ("pisa", "Подготовка к PISA", "Preparing for PISA"),
    ("management", "Управление школой", "School management"),
    ("parents", "Работа с родителями", "Working with parents"),
    ("methodology", "Методика урока", "Lesson methodology"),
    ("other", "Другое", "Other"),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("consultations", "ConsultationTopic")
    for order, (code, name, name_en) in enumerate(TOPICS):
        Topic.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )


def remove_topics(apps, schema_editor):
    Topic = apps.get_model("consultations", "ConsultationTopic")
    Topic.objects.filter(code__in=[t[0] for t in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(add_topics, remove_topics)]
