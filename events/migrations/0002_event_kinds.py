"""The kinds of events of the regulations (003 app. 2–4, 004 §2.3) as data; the centre may add
more in the admin."""

from django.db import migrations

KINDS = [
    # code, Russian name, English name, is_series, has_protocol
    ("seminar", "Семинар", "Seminar", False, False),
    ("master-class", "Мастер-класс", "Master class", False, False),
    ("webinar", "Вебинар", "Webinar", False, False),
    ("open-lesson", "Открытый урок", "Open lesson", False, False),
    ("coaching", "Коуч-сессия", "Coaching session", False, False),
    ("round-table", "Круглый стол", "Round table", False, False),
    ("conference", "Конференция", "Conference", False, False),
    ("group-consultation", "Групповая консультация", "Group consultation", False, False),
    (
        "individual-consultation",
        "Индивидуальная консультация",
        "Individual consultation",
        False,
        False,
    ),
    ("subject-decade", "Предметная декада", "Subject decade", True, False),
    ("olympiad-stage", "Школьный этап олимпиады", "School olympiad stage", False, True),
    ("contest", "Конкурс", "Contest", False, True),
    ("school-course", "Внутришкольные курсы", "In-school course", False, False),
    ("reporting-event", "Отчётное мероприятие", "Reporting event", False, False),
]


def add_kinds(apps, schema_editor):
    EventKind = apps.get_model("events", "EventKind")
    for order, (code, name, name_en, is_series, has_protocol) in enumerate(KINDS):
        EventKind.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "is_series": is_series,
                "has_protocol": has_protocol,
                "order": order,
            },
        )


def remove_kinds(apps, schema_editor):
    apps.get_model("events", "EventKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(add_kinds, remove_kinds)]
