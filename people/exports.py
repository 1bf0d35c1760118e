"""The databank as XLSX: one sheet of teachers, one row each, with related lists joined."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core.documents import xlsx_bytes, xlsx_cell, xlsx_workbook

from .models import Person


def _columns():
    return [
        (_("Full name"), lambda p, t: p.full_name),
        (
            _("Position"),
            lambda p, t: "; ".join(
                f"{pos.title} ({pos.organisation})"
                for pos in getattr(p, "positions_here", p.positions.all())
            ),
        ),
        (_("Email"), lambda p, t: p.email),
        (_("Phone"), lambda p, t: p.phone),
        (_("Education"), lambda p, t: t and t.education),
        (_("Institution graduated"), lambda p, t: t and t.education_institution),
        (_("Specialty by diploma"), lambda p, t: t and t.specialty),
        (
            _("Qualification category"),
            lambda p, t: t and t.qualification_category and str(t.qualification_category),
        ),
        (_("Category assigned on"), lambda p, t: t and t.category_assigned_on),
        (_("Next attestation"), lambda p, t: t and t.next_attestation_on),
        (_("Total experience, years"), lambda p, t: t and t.experience_total),
        (_("Teaching experience, years"), lambda p, t: t and t.experience_teaching),
        (_("Subjects taught"), lambda p, t: t and t.subjects),
        (_("Workload, hours a week"), lambda p, t: t and t.workload_hours),
        (_("Classes taught"), lambda p, t: t and t.classes_taught),
        (
            _("Courses"),
            lambda p, t: (
                t
                and "; ".join(
                    f"{c.title}{f' ({c.completed_on:%d.%m.%Y})' if c.completed_on else ''}"
                    for c in t.courses.all()
                )
            ),
        ),
        (_("Generalisation of experience"), lambda p, t: t and t.experience_generalisation),
        (
            _("Teacher's achievements"),
            lambda p, t: (
                t
                and "; ".join(
                    f"{a.year}: {a.description}"
                    for a in t.achievements.all()
                    if a.kind == "teacher"
                )
            ),
        ),
        (
            _("Pupils' achievements"),
            lambda p, t: (
                t
                and "; ".join(
                    f"{a.year}: {a.description}" for a in t.achievements.all() if a.kind == "pupils"
                )
            ),
        ),
        (
            _("Awards"),
            lambda p, t: (
                t
                and "; ".join(
                    f"{a.title}{f' ({a.year})' if a.year else ''}" for a in t.awards.all()
                )
            ),
        ),
        (_("Honorary titles"), lambda p, t: t and t.titles),
        (_("Self-education topic"), lambda p, t: t and t.self_education_topic),
    ]


def databank_workbook(
    people: Iterable[Person],
    title: str,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """`progress` is told how many rows are written, now and then, for a long export."""
    columns = _columns()
    workbook = xlsx_workbook()
    sheet = workbook.create_sheet(_("Teachers")[:31])
    for index in range(1, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 22
    sheet.freeze_panes = "B3"
    sheet.append([xlsx_cell(sheet, title, bold=True, size=13)])
    sheet.append([xlsx_cell(sheet, name, bold=True, wrap=True) for name, _getter in columns])
    done = 0
    for person in people:
        profile = getattr(person, "teacher_profile", None)
        sheet.append([xlsx_cell(sheet, getter(person, profile)) for _name, getter in columns])
        done += 1
        if progress is not None and done % 200 == 0:
            progress(done)
    if progress is not None:
        progress(done)
    return xlsx_bytes(workbook)
