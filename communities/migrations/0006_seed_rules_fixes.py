"""Kind rules that contradicted the seeds, corrected where a centre has not changed them since.

- The consultative council is a permanent online community with no minimum of meetings
  (003 app. 1).
- A creative micro-group meets at least once a term (004 §3.3).
- A leaders' pair has no annual report of its own: the curators report on all pairs (003 app. 3
  §5.3).
"""

from django.db import migrations

# code: (rules as first seeded, rules as the seeds have them)
FIXES = {
    "consultative_council": (
        {"meeting_cadence": "quarter", "min_meetings_per_year": 4},
        {"meeting_cadence": "", "min_meetings_per_year": 0},
    ),
    "micro_group": (
        {"meeting_cadence": "", "min_meetings_per_year": 0},
        {"meeting_cadence": "term", "min_meetings_per_year": 0},
    ),
    "leaders_pair": (
        {"report_deadline_month": 6, "report_deadline_day": 30},
        {"report_deadline_month": None, "report_deadline_day": None},
    ),
}


def fix(apps, schema_editor):
    CommunityKind = apps.get_model("communities", "CommunityKind")
    for code, (seeded, corrected) in FIXES.items():
        CommunityKind.objects.filter(code=code, **seeded).update(**corrected)


def unfix(apps, schema_editor):
    CommunityKind = apps.get_model("communities", "CommunityKind")
    for code, (seeded, corrected) in FIXES.items():
        CommunityKind.objects.filter(code=code, **corrected).update(**seeded)


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0005_kind_rules_per_country"),
    ]

    operations = [migrations.RunPython(fix, unfix)]
