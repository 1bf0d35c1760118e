"""The rating table as a spreadsheet (formula-safe cells, core.documents)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.documents import xlsx_bytes, xlsx_cell, xlsx_workbook

from .selectors import Rating


def rating_xlsx(table: Rating, title: str) -> bytes:
    workbook = xlsx_workbook()
    sheet = workbook.create_sheet(_("Rating")[:31])
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 36
    sheet.append([xlsx_cell(sheet, title, bold=True, size=13)])
    header = [_("Rank"), _("Teacher")]
    for column in table.columns:
        weight = column.criterion.weight
        header += [
            f"{column.label} ({column.unit})" if column.unit else column.label,
            _("Points (× %(weight)s)") % {"weight": weight},
        ]
    header.append(_("Total"))
    sheet.append([xlsx_cell(sheet, name, bold=True, wrap=True) for name in header])
    for row in table.rows:
        cells = [xlsx_cell(sheet, row.rank), xlsx_cell(sheet, row.person.full_name)]
        for cell in row.cells:
            cells += [xlsx_cell(sheet, cell.value), xlsx_cell(sheet, cell.points)]
        cells.append(xlsx_cell(sheet, row.total))
        sheet.append(cells)
    return xlsx_bytes(workbook)
