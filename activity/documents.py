"""The statistics as CSV and XLSX: the table of the page, period by period."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from core.documents import xlsx_bytes, xlsx_cell, xlsx_workbook

from .charts import period_label
from .selectors import Row

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _header() -> list[str]:
    return [
        _("Period"),
        _("Start"),
        _("Visitors"),
        _("Page views"),
        _("Active actions"),
        _("Feedback"),
    ]


def _values(row: Row) -> list:
    return [period_label(row), row.start, row.visitors, row.views, row.actions, row.feedback]


def _csv_text(value) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # A spreadsheet opening the CSV must not run text as a formula (CSV injection).
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text


def csv_bytes(title: str, rows: list[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_text(title)])
    writer.writerow(_header())
    for row in rows:
        writer.writerow([_csv_text(v) for v in _values(row)])
    # The BOM makes Excel read the file as UTF-8 (Cyrillic names and months).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx(title: str, rows: list[Row]) -> bytes:
    workbook = xlsx_workbook()
    sheet = workbook.create_sheet(_("Activity")[:31])
    sheet.append([xlsx_cell(sheet, title, bold=True)])
    sheet.append([xlsx_cell(sheet, h, bold=True) for h in _header()])
    for row in rows:
        sheet.append([xlsx_cell(sheet, v) for v in _values(row)])
    return xlsx_bytes(workbook)
