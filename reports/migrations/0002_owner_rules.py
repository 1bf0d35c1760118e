from django.db import migrations

# A school's and a network's report go to the centre of their territory (no date in the seeds);
# the centre's report on its communities goes to its deputy director by 25 December (003 order
# §2.2).
RULES = [
    ("school", "centre_admin", None, None),
    ("network", "centre_admin", None, None),
    ("centre", "centre_admin", 12, 25),
]


def seed(apps, schema_editor):
    OwnerRule = apps.get_model("reports", "OwnerRule")
    for owner_type, receiver, month, day in RULES:
        OwnerRule.objects.get_or_create(
            owner_type=owner_type,
            defaults={"receiver": receiver, "deadline_month": month, "deadline_day": day},
        )


def unseed(apps, schema_editor):
    apps.get_model("reports", "OwnerRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
