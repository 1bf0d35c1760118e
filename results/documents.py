"""Spreadsheets of pupils' results (formula-safe cells, core.documents)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.documents import xlsx_bytes, xlsx_cell, xlsx_workbook

from .models import AssessmentPeriod
from .selectors import BySchool, SchoolFigure


def schools_xlsx(
    *,
    place: str,
    school_year: int,
    period: AssessmentPeriod,
    subject: str,
    comparison: BySchool,
    figures: list[SchoolFigure],
) -> bytes:
    """Every school of the comparison in the order shown, with the counts behind its figures,
    so the table can be checked and charted again in a spreadsheet."""
    workbook = xlsx_workbook()
    sheet = workbook.create_sheet(_("Schools compared")[:31])
    sheet.column_dimensions["B"].width = 48
    title = _("Knowledge quality and pass rate by school")
    scope = " · ".join(
        [place, f"{school_year}/{school_year + 1}", period.name, subject or _("All subjects")]
    )
    sheet.append([xlsx_cell(sheet, title, bold=True, size=13)])
    sheet.append([xlsx_cell(sheet, scope)])
    header = [
        _("No."),
        _("School"),
        _("Knowledge quality, %"),
        _("Pass rate, %"),
        _("Assessed"),
        "5",
        "4",
        "3",
        "2",
        _("not assessed"),
    ]
    sheet.append([xlsx_cell(sheet, name, bold=True, wrap=True) for name in header])
    for number, figure in enumerate(figures, 1):
        school = figure.organisation
        counts = figure.counts
        sheet.append(
            [
                number,
                xlsx_cell(sheet, school.name if school else ""),
                _number(figure.values["quality"]),
                _number(figure.values["pass_rate"]),
                figure.assessed,
                counts["count_5"],
                counts["count_4"],
                counts["count_3"],
                counts["count_2"],
                counts["count_na"],
            ]
        )
    sheet.append(
        [
            None,
            xlsx_cell(sheet, _("over all the schools"), bold=True),
            _number(comparison.total["quality"]),
            _number(comparison.total["pass_rate"]),
        ]
    )
    return xlsx_bytes(workbook)


def _number(value):
    return None if value is None else float(value)
