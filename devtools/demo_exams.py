"""The demo school's exams and control works (called by devtools.demo_results.load).

Last school year's ВПР, ОГЭ and ЕГЭ and this year's autumn срез and mock ЕГЭ for СШ № 14's
classes, loaded through the exam
import from a file of pupils' scores without names (an export as a school would make it, less
the pupils' column). Invented figures: scores run through a fixed pattern, no one's results.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from django.utils import timezone

from core.schoolyear import school_year_of
from results.imports.exams import import_exam_results
from results.models import AssessmentKind

HEADER = ["Класс", "Предмет", "Учитель", "Балл", "Отметка"]
CLASS_SIZE = 22
# kind code → (years back, month, day, classes, subjects: subject → (top score, teacher key),
# the shares of the top score for the marks «3», «4», «5» where marks are given)
MATHS_PHYSICS = {"Математика": (100, "leader"), "Физика": (100, "teacher")}
SITTINGS: dict[str, tuple] = {
    "vpr": (1, 4, 15, ["7А", "7Б", "8А"],
            {"Математика": (19, "leader"), "Физика": (18, "teacher")}, (0.3, 0.55, 0.8)),
    "srez": (0, 10, 8, ["7А", "7Б"], {"Математика": (20, "leader")}, (0.3, 0.55, 0.8)),
    "ege-mock": (0, 10, 22, ["11А", "11Б"], MATHS_PHYSICS, None),
    "oge": (1, 6, 3, ["9А", "9Б", "9В"],
            {"Математика": (31, "leader"), "Физика": (45, "teacher")}, (0.25, 0.5, 0.75)),
    "ege": (1, 6, 10, ["11А", "11Б"], MATHS_PHYSICS, None),
}  # fmt: skip


def _file(classes, subjects, edges, names, seed: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    for c, school_class in enumerate(classes):
        for s, (subject, (top, teacher)) in enumerate(subjects.items()):
            for pupil in range(CLASS_SIZE):
                share = ((pupil * 7 + c * 3 + s * 5 + seed) % 20 + 3) / 23
                score = round(top * share)
                mark = ""
                if edges:
                    mark = 2 + sum(share >= e for e in edges)
                writer.writerow([school_class, subject, names[teacher], score, mark])
    return out.getvalue().encode("utf-8")


def load(world: dict[str, Any]) -> None:
    """Import the sittings of this school year; running again changes nothing."""
    users, school = world["users"], world["orgs"]["school14"]
    names = {key: users[key].full_name for key in ("leader", "teacher")}
    year = school_year_of(timezone.localdate())
    for seed, (code, sitting) in enumerate(SITTINGS.items()):
        back, month, day, classes, subjects, edges = sitting
        kind = AssessmentKind.objects.get(country_code="RU", code=code)
        school_year = year - back
        held_on = datetime.date(school_year + 1 if month < 9 else school_year, month, day)
        report = import_exam_results(
            organisation=school,
            school_year=school_year,
            kind=kind,
            held_on=held_on,
            file=_file(classes, subjects, edges, names, seed),
            dry_run=False,
        )
        if not report.ok:
            raise RuntimeError(f"demo exams: {report.file_error or report.errors[:3]}")
