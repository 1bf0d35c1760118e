"""The databank as XLSX: one sheet of teachers, one row each, with related lists joined."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

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


def databank_workbook(people: Iterable[Person], title: str) -> bytes:
    columns = _columns()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Teachers")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    header = [name for name, _getter in columns]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for person in people:
        profile = getattr(person, "teacher_profile", None)
        sheet.append([getter(person, profile) or "" for _name, getter in columns])
    for index, _col in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = 22
    sheet.freeze_panes = "B3"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
