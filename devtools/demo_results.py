"""The demo school's pupils' results (called by devtools.demo.load_demo with its world).

Two terms - the last quarter of the previous school year and the first of this one - for the
classes of СШ № 14's PLC teachers, loaded through the import itself (a counts table built
here), so the summaries are kept as a real import keeps them. Quality rises in most of the
PLC's subjects and falls in one. Invented figures; the teachers are the demo's invented people.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import timezone

from core.schoolyear import school_year_of
from results.imports import import_results

HEADER = ["Класс", "Предмет", "Учитель", "Период", "5", "4", "3", "2", "н/а"]
CLASS_SIZE = 25
# Subject → (knowledge quality last term, its change this term), as shares of the class.
TRENDS = {
    "Математика": (0.48, 0.06),
    "Физика": (0.44, 0.05),
    "Химия": (0.50, 0.03),
    "Биология": (0.55, 0.04),
    "География": (0.62, -0.07),
    "Информатика": (0.58, 0.04),
}
CLASSES = [f"{grade}{letter}" for grade in (7, 8, 9, 10, 11) for letter in "АБВ"]


def _counts(quality: float, seed: int) -> list[int]:
    good = round(CLASS_SIZE * quality)
    fives = round(good * 0.35)
    fails = seed % 2
    absent = 1 if seed % 5 == 0 else 0
    threes = CLASS_SIZE - good - fails - absent
    return [fives, good - fives, threes, fails, absent]


def _table(teachers: list[tuple[str, str]], period: str, later: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    taken: dict[str, int] = {}  # classes given out per subject: two teachers never share one
    for index, (name, subject) in enumerate(teachers):
        base, change = TRENDS.get(subject, (0.5, 0.02))
        first = taken.get(subject, 0)
        taken[subject] = first + 3
        for number, school_class in enumerate(CLASSES[first : first + 3]):
            quality = base + (change if later else 0) + (number % 2) * 0.04
            writer.writerow(
                [school_class, subject, name, period, *_counts(quality, index + number)]
            )
    return out.getvalue().encode("utf-8")


def load(world: dict[str, Any]) -> None:
    """Import the two terms; running again changes nothing (the import is idempotent)."""
    users, school = world["users"], world["orgs"]["school14"]
    members = [(users["leader"], "Математика"), (users["teacher"], "Физика")]
    members += list(world["plc_people"])
    teachers = [(p.full_name, subject) for p, subject in members if subject in TRENDS]
    year = school_year_of(timezone.localdate())
    for school_year, period, later in ((year - 1, "4 четверть", False), (year, "1 четверть", True)):
        report = import_results(
            organisation=school,
            school_year=school_year,
            file=_table(teachers, period, later),
            dry_run=False,
        )
        if not report.ok:
            raise RuntimeError(f"demo results: {report.file_error or report.errors[:3]}")
    from . import demo_exams

    demo_exams.load(world)
