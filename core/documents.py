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


def build_pdf(story, title: str, *, organisation: str = "", landscape: bool = True) -> bytes:
    """A4 with the organisation's name at the top of every page and its number at the bottom."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as turned
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    font = pdf_styles()["BodyText"].fontName
    pagesize = turned(A4) if landscape else A4

    def frame(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        if organisation:
            canvas.drawString(1.5 * cm, pagesize[1] - 0.9 * cm, document_text(organisation))
        canvas.drawRightString(pagesize[0] - 1.5 * cm, 0.8 * cm, str(canvas.getPageNumber()))
        canvas.restoreState()

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=document_text(title),
        author=document_text(organisation),
        lang=document_language(),
    )
    document.build(story, onFirstPage=frame, onLaterPages=frame)
    return buffer.getvalue()


def document_language() -> str:
    """The documents' language tag: the interface language, as a school files it (ru-RU)."""
    from django.utils.translation import get_language

    return {"ru": "ru-RU", "en": "en-GB", "kk": "kk-KZ"}.get(
        (get_language() or "ru").split("-")[0], "ru-RU"
    )


def new_docx(*, title: str, organisation: str = "", landscape: bool = False):
    """An empty Word document a school can file: A4, the document language set, its title and
    organisation in the properties, the organisation's name at the top of each page and the page
    number at the bottom."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt

    document = Document()
    section = document.sections[0]
    width, height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    language = document_language()
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    run_properties = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language)
    run_properties.append(lang)
    properties = document.core_properties
    properties.title = document_text(title)[:255]
    properties.author = document_text(organisation)[:255] or "Collegium"
    properties.language = language
    properties.created = properties.modified = timezone.now()
    if organisation:
        section.header.paragraphs[0].text = document_text(organisation)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    number.append(text)
    field.append(number)
    footer._p.append(field)
    return document


def docx_table(document, rows: list[list[str]], bold_header: bool = True):
    """A grid table whose header row repeats on every page and whose rows do not split."""
    from docx.oxml import OxmlElement

    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for n, row in enumerate(rows):
        added = table.add_row()
        row_properties = added._tr.get_or_add_trPr()
        row_properties.append(OxmlElement("w:cantSplit"))
        if n == 0 and bold_header:
            row_properties.append(OxmlElement("w:tblHeader"))
        for cell, value in zip(added.cells, row, strict=True):
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
