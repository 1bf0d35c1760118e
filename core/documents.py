"""Shared pieces for the documents people take out: DOCX for editing, PDF for signing.

PDF text needs a font with Cyrillic; DejaVu Sans ships with matplotlib, which the reports
use for charts anyway, so no system font is assumed.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.http import HttpResponse
from django.utils import timezone

from core.text import document_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
ICS = "text/calendar; charset=utf-8"


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


_FONTS_READY = False


def pdf_styles():
    """Paragraph styles in DejaVu Sans, registered once per process."""
    global _FONTS_READY
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not _FONTS_READY:
        pdfmetrics.registerFont(TTFont("DejaVu", str(_font_dir() / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(_font_dir() / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily("DejaVu", normal="DejaVu", bold="DejaVu-Bold")
        _FONTS_READY = True
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = "DejaVu-Bold" if style.name.startswith(("Heading", "Title")) else "DejaVu"
    styles["BodyText"].fontSize = 9
    styles["BodyText"].leading = 11
    return styles


def _pdf_markup(text) -> str:
    """Paragraph markup showing the text as typed: tags and entities stay visible."""
    from xml.sax.saxutils import escape

    return escape(document_text(text)).replace("\n", "<br/>")


def pdf_table(rows: list[list[str]], widths: list[float], styles, header: bool = True):
    """A wrapped-text table with a grid; the first row is the header.

    A cell taller than a page (a pasted essay, a hundred line breaks) is split across pages
    instead of failing the whole document with "Flowable too large".
    """
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    body = styles["BodyText"]
    cells = [[Paragraph(_pdf_markup(c), body) for c in r] for r in rows]
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0, splitInRow=1)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4ecf7")))
    table.setStyle(TableStyle(commands))
    return table


def pdf_paragraph(text: str, style):
    from reportlab.platypus import Paragraph

    return Paragraph(_pdf_markup(text), style)


def build_pdf(story, title: str) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=title,
    )
    document.build(story)
    return buffer.getvalue()


def docx_table(document, rows: list[list[str]], bold_header: bool = True):
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for n, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = document_text(value)
            if n == 0 and bold_header:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    return table


def docx_bytes(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_paragraph(document, text: str = "", style: str | None = None):
    return document.add_paragraph(document_text(text), style=style)


def docx_heading(document, text: str, level: int):
    return document.add_heading(document_text(text), level=level)


def docx_run(paragraph, text: str, bold: bool = False):
    run = paragraph.add_run(document_text(text))
    if bold:
        run.bold = True
    return run


# An XLSX cell holds at most this many characters; Excel "repairs" a file with more.
XLSX_CELL_LIMIT = 32767
# OWASP's CSV-injection list: a spreadsheet may run text starting with these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def xlsx_workbook():
    """A streaming workbook: rows are written once, so a region-sized export stays small."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


def xlsx_cell(sheet, value, *, bold: bool = False, size: float | None = None, wrap: bool = False):
    """One cell that is safe to open: dates as date cells, text that never runs as a formula.

    Formula-like text is stored as a string cell with Excel's quote prefix (what typing ``'=1+1``
    does), so the visible text is unchanged and neither Excel nor LibreOffice evaluates it, even
    after someone edits the cell. Other values come back plain (a styled cell costs a lot in a
    5,000-row export); openpyxl stores them as they are, and skips empty ones.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    cell = None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "DD.MM.YYYY HH:MM"
    elif isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "DD.MM.YYYY"
    elif value is not None and not isinstance(value, bool | int | float | Decimal):
        value = document_text(value, limit=XLSX_CELL_LIMIT) or None
        if value is not None and value.startswith(_FORMULA_STARTS):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            cell.quotePrefix = True
    if not (bold or size or wrap):
        return value if cell is None else cell
    if cell is None:
        cell = WriteOnlyCell(sheet, value)
    if bold or size:
        cell.font = Font(bold=bold, size=size)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def xlsx_bytes(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@contextmanager
def collection_paused() -> Iterator[None]:
    """Build a large export without the cyclic garbage collector running in the middle of it.

    Loading thousands of records with their related lists creates objects that all live until
    the file is written; each automatic full collection would walk all of them again (about a
    fifth of a 5,000-person databank export's time). Reference counting still frees what
    dies; the collector runs again as usual afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
