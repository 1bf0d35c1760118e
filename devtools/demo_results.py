"""The demo school's pupils' results (called by devtools.demo.load_demo with its world).

Two terms - the last quarter of the previous school year and the first of this one - for the
classes of СШ № 14's PLC teachers, loaded through the import itself (a counts table built
here), so the summaries are kept as a real import keeps them. Quality rises in most of the
PLC's subjects and falls in one. Invented figures; the teachers are the demo's invented people.

The network's schools get the same two terms without teachers' names (a school's summary table
as a centre collects it), each a little better or worse than the next, so the centre and the
coordinator have schools to compare.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import timezone

from core.schoolyear import school_year_of
from results.imports import import_results
from results.innovation import Mark, mark_classes

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
# Classes doing innovative work this year → what the work is; their quality gains this much more.
INNOVATIVE = {
    "8А": "Уроки по модели «Компетенции 4К»",
    "9Б": "Исследовательские уроки Lesson Study",
}
INNOVATIVE_GAIN = 0.08


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
            if later and school_class in INNOVATIVE:
                quality += INNOVATIVE_GAIN
            writer.writerow(
                [school_class, subject, name, period, *_counts(quality, index + number)]
            )
    return out.getvalue().encode("utf-8")


# A network school's knowledge quality against the subject's base (invented).
NETWORK_SHIFTS = [0.14, 0.08, 0.02, -0.04, -0.09, -0.15, 0.05]


def _school_table(shift: float, period: str, later: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([h for h in HEADER if h != "Учитель"])
    for seed, (subject, (base, change)) in enumerate(TRENDS.items()):
        for number, school_class in enumerate(CLASSES[::2]):
            quality = base + shift + (change if later else 0) + (number % 2) * 0.03
            quality = min(max(quality, 0.05), 0.95)
            writer.writerow([school_class, subject, period, *_counts(quality, seed + number)])
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
    network = world["network"]
    network_schools = [network.lead_school] if network.lead_school_id else []
    network_schools += [
        m.organisation
        for m in network.memberships.select_related("organisation").order_by("pk")
        if m.organisation_id != network.lead_school_id
    ]
    for shift, network_school in zip(NETWORK_SHIFTS, network_schools, strict=False):
        for school_year, period, later in (
            (year - 1, "4 четверть", False),
            (year, "1 четверть", True),
        ):
            report = import_results(
                organisation=network_school,
                school_year=school_year,
                file=_school_table(shift, period, later),
                dry_run=False,
            )
            if not report.ok:
                raise RuntimeError(f"demo results: {report.file_error or report.errors[:3]}")
    mark_classes(
        actor=users["deputy"],
        organisation=school,
        school_year=year,
        marks=[
            Mark(int(name[:-1]), name[-1], work, community_id=world["plc"].pk)
            for name, work in INNOVATIVE.items()
        ],
    )
    from . import demo_exams

    demo_exams.load(world)
