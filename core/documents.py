"""Shared pieces for the documents people take out: DOCX for editing, PDF for signing.

PDF text needs a font with Cyrillic; DejaVu Sans ships with matplotlib, which the reports
use for charts anyway, so no system font is assumed.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from django.http import HttpResponse

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


def pdf_table(rows: list[list[str]], widths: list[float], styles, header: bool = True):
    """A wrapped-text table with a grid; the first row is the header."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    body = styles["BodyText"]
    cells = [
        [Paragraph(escape(str(c or "")).replace("\n", "<br/>"), body) for c in r] for r in rows
    ]
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4ecf7")))
    table.setStyle(TableStyle(commands))
    return table


def pdf_paragraph(text: str, style):
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


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
            cell.text = str(value if value is not None else "")
            if n == 0 and bold_header:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    return table


def docx_bytes(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
