"""Kazakhstan's and Russia's assessment periods and their 5-point scale, as data.

Names are data (what schools write in their files), not interface text.
"""

from django.db import migrations

_QUARTERS = [(f"q{n}", f"{n} четверть", "quarter", n, 10 * n) for n in range(1, 5)]
_HALVES = [(f"h{n}", f"{n} полугодие", "half", n, 20 * n + 5) for n in range(1, 3)]
_TRIMESTERS = [(f"t{n}", f"{n} триместр", "trimester", n, 13 * n + 1) for n in range(1, 4)]
_YEAR = [("year", "Год", "year", 1, 90)]

PERIODS = {
    "KZ": _QUARTERS + _HALVES + _YEAR,
    # Russian schools mark by quarters or trimesters; senior classes often by half-years.
    "RU": _QUARTERS + _TRIMESTERS + _HALVES + _YEAR,
}


def seed(apps, schema_editor):
    Scale = apps.get_model("results", "GradingScale")
    Period = apps.get_model("results", "AssessmentPeriod")
    for country, periods in PERIODS.items():
        Scale.objects.update_or_create(
            country_code=country,
            code="five",
            defaults={
                "name": "Пятибалльная",
                "best_mark": 5,
                "worst_mark": 2,
                "pass_mark": 3,
                "quality_mark": 4,
                "is_default": True,
            },
        )
        for code, name, kind, number, position in periods:
            Period.objects.update_or_create(
                country_code=country,
                code=code,
                defaults={"name": name, "kind": kind, "number": number, "position": position},
            )


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
