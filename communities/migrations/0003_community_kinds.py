"""The community kinds of domain.md with their rules, as data a centre admin can change."""

from django.db import migrations

KINDS = [
    # code, name (ru), name (en), host, min, max, single_subject, pair, end_date, cadence,
    # meetings/year, report month, report day, approver, online, curated
    ("school_plc", "Профессиональное обучающееся сообщество (ПОС)", "School PLC",
     "organisation", 3, None, True, False, False, "term", 4, None, None, "school_admin", False, False),
    ("micro_group", "Творческая микрогруппа", "Creative micro-group",
     "organisation", 3, None, True, False, False, "", 0, None, None, "school_admin", False, False),
    ("lesson_study_team", "Группа «Lesson Study»", "Lesson study team",
     "organisation", 3, None, False, False, False, "", 0, None, None, "school_admin", False, False),
    ("temporary_group", "Временная творческая группа", "Temporary creative group",
     "network", 2, None, False, False, True, "", 0, None, None, "coordinator", False, False),
    ("network_group", "Сетевая профессиональная группа", "Network professional group",
     "territory", 0, None, True, False, False, "", 0, None, None, "centre_admin", True, True),
    ("consultative_council", "Консультационный совет", "Consultative council",
     "territory", 3, None, False, False, False, "quarter", 4, None, None, "centre_admin", True, True),
    ("leaders_pair", "Сетевая пара руководителей", "Leaders' network pair",
     "territory", 2, 2, False, True, False, "", 0, 6, 30, "centre_admin", False, True),
    ("leaders_association", "Межшкольное объединение руководителей", "Inter-school association of leaders",
     "territory", 3, None, False, False, False, "", 4, 7, 15, "centre_admin", False, True),
    ("coordination_council", "Координационный совет сети", "Network coordination council",
     "network", 3, None, False, False, False, "quarter", 4, None, None, "coordinator", False, False),
]


def load(apps, schema_editor):
    CommunityKind = apps.get_model("communities", "CommunityKind")
    for order, row in enumerate(KINDS):
        (code, name, name_en, host, min_m, max_m, single, pair, end_date, cadence, per_year,
         month, day, approver, online, curated) = row
        CommunityKind.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name, name_en=name_en, host_type=host, min_members=min_m, max_members=max_m,
                single_subject=single, requires_pair_roles=pair, requires_end_date=end_date,
                meeting_cadence=cadence, min_meetings_per_year=per_year,
                report_deadline_month=month, report_deadline_day=day, plan_approver=approver,
                online=online, curated=curated, order=order,
            ),
        )


def unload(apps, schema_editor):
    apps.get_model("communities", "CommunityKind").objects.filter(
        code__in=[row[0] for row in KINDS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("communities", "0002_initial")]
    operations = [migrations.RunPython(load, unload)]
