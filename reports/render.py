"""Drawing a report's data (sections' blocks and the narrative) as DOCX and PDF: A4 portrait,
the organisation's header on every page, the receiver's acceptance block at the top right and the
author's signature at the end (as the seeds' reports and plans are signed), charts drawn with
matplotlib (Agg) and photos from events. Everything is drawn from the snapshot dict, so a
submitted version's files show exactly what was sent."""

from __future__ import annotations

import logging
from io import BytesIO

from django.utils.translation import gettext as _

from core.documents import (
    build_pdf,
    docx_bytes,
    docx_heading,
    docx_paragraph,
    docx_run,
    docx_table,
    new_docx,
    pdf_paragraph,
    pdf_styles,
    pdf_table,
)

from . import sections as registry

log = logging.getLogger(__name__)


def narrative_titles() -> list[tuple[str, str]]:
    return [
        ("analysis", _("Analysis of the year")),
        ("problems", _("Problems")),
        ("tasks", _("Tasks for the next year")),
    ]


def chart_png(block: dict) -> bytes:
    """A bar chart (grouped when there are several series) as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    labels = [str(label)[:30] for label in block.get("labels", [])]
    series = block.get("series", [])
    figure = Figure(figsize=(7, 3.2), dpi=110)
    axes = figure.add_subplot(1, 1, 1)
    width = 0.8 / max(len(series), 1)
    for n, one in enumerate(series):
        positions = [i + n * width for i in range(len(labels))]
        axes.bar(positions, one["values"], width=width, label=one["name"])
    axes.set_xticks([i + width * (len(series) - 1) / 2 for i in range(len(labels))])
    axes.set_xticklabels(labels, rotation=30 if len(labels) > 4 else 0, ha="right", fontsize=7)
    axes.set_title(block.get("title", ""), fontsize=9)
    if block.get("unit") == "%":
        axes.set_ylim(0, 100)
    if len(series) > 1:
        axes.legend(fontsize=7)
    figure.tight_layout()
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _photo_files(snapshot: dict) -> dict[int, bytes]:
    """The photos every photos block names, read in one query (the files from storage)."""
    from events.models import Material

    ids = [
        item["material"]
        for section in snapshot["sections"]
        for block in section.get("blocks", [])
        if block.get("type") == "photos"
        for item in block["items"]
    ]
    out = {}
    for material in Material.objects.filter(pk__in=ids).exclude(file=""):
        try:
            with material.file.open("rb") as handle:
                out[material.pk] = handle.read()
        except OSError:
            log.warning("Photo %s of a report is missing", material.pk)
    return out


def title_of(snapshot: dict) -> str:
    return _("Report on the work of %(owner)s in the %(year)s school year") % {
        "owner": snapshot["owner"],
        "year": snapshot["school_year"],
    }


def _acceptance(snapshot: dict) -> list[str]:
    """The receiver's block: «ПРИНЯТО», who receives it, a signature line and the date."""
    decided = snapshot.get("accepted_by") or ""
    return [
        _("ACCEPTED"),
        snapshot.get("receiver", ""),
        f"__________________ {decided}".rstrip(),
        snapshot.get("accepted_on") or _("«___» ____________ 20___"),
    ]


def _signature(snapshot: dict) -> str:
    return _("%(role)s %(line)s /%(name)s/   %(date)s") % {
        "role": snapshot.get("author_role", ""),
        "line": "____________",
        "name": snapshot.get("author") or "____________",
        "date": snapshot.get("date", ""),
    }


# -- DOCX ---------------------------------------------------------------------------------------


def _docx_block(document, block: dict, photos: dict[int, bytes]) -> None:
    from docx.shared import Cm

    kind = block.get("type")
    if kind == "text":
        docx_paragraph(document, block["text"])
    elif kind == "facts":
        docx_table(document, block["rows"], bold_header=False)
    elif kind == "table":
        if block.get("title"):
            docx_paragraph(document, block["title"]).runs[0].bold = True
        docx_table(document, block["rows"])
    elif kind == "chart" and block.get("labels"):
        document.add_picture(BytesIO(chart_png(block)), width=Cm(17))
    elif kind == "photos":
        for item in block["items"]:
            content = photos.get(item["material"])
            if content:
                try:
                    document.add_picture(BytesIO(content), width=Cm(8))
                except Exception:  # noqa: BLE001 - an image python-docx cannot read is skipped
                    continue
                docx_paragraph(document, item["title"])
    elif kind == "link":
        docx_paragraph(document, f"{block['title']}: {block['url']}")


def to_docx(snapshot: dict, progress=None) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = new_docx(title=title_of(snapshot), organisation=snapshot["organisation"])
    photos = _photo_files(snapshot)
    for n, line in enumerate(_acceptance(snapshot)):
        paragraph = docx_paragraph(document)
        docx_run(paragraph, line, bold=n == 0)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    docx_heading(document, title_of(snapshot), level=1)
    total = len(snapshot["sections"]) + 1
    for n, section in enumerate(snapshot["sections"], start=1):
        docx_heading(document, f"{n}. {section['title']}", level=2)
        custom = registry.get(section["code"])
        if custom is not None and custom.docx is not None:
            custom.docx(document, section)
        else:
            for block in section.get("blocks", []):
                _docx_block(document, block, photos)
        if progress:
            progress(int(90 * n / total))
    for key, label in narrative_titles():
        docx_heading(document, label, level=2)
        for line in (snapshot["narrative"].get(key) or "—").split("\n"):
            docx_paragraph(document, line)
    docx_paragraph(document, _signature(snapshot)).paragraph_format.space_before = None
    return docx_bytes(document)


# -- PDF ----------------------------------------------------------------------------------------


def _pdf_block(block: dict, styles, photos: dict[int, bytes]) -> list:
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Spacer

    kind = block.get("type")
    body = styles["BodyText"]
    width = 18 * cm
    if kind == "text":
        return [pdf_paragraph(block["text"], body), Spacer(1, 0.2 * cm)]
    if kind == "facts":
        return [pdf_table(block["rows"], [12 * cm, 6 * cm], styles, header=False), Spacer(1, 6)]
    if kind == "table":
        columns = len(block["rows"][0])
        out = [pdf_paragraph(block["title"], styles["Heading4"])] if block.get("title") else []
        out.append(pdf_table(block["rows"], [width / columns] * columns, styles))
        return [*out, Spacer(1, 6)]
    if kind == "chart" and block.get("labels"):
        return [Image(BytesIO(chart_png(block)), width=17 * cm, height=7.8 * cm)]
    if kind == "photos":
        out = []
        for item in block["items"]:
            content = photos.get(item["material"])
            if not content:
                continue
            try:
                from reportlab.lib.utils import ImageReader

                reader = ImageReader(BytesIO(content))
                w, h = reader.getSize()
            except Exception:  # noqa: BLE001 - an unreadable image is skipped
                continue
            out.append(Image(BytesIO(content), width=8 * cm, height=8 * cm * h / max(w, 1)))
            out.append(pdf_paragraph(item["title"], body))
        return out
    if kind == "link":
        return [pdf_paragraph(f"{block['title']}: {block['url']}", body)]
    return []


def to_pdf(snapshot: dict, progress=None) -> bytes:
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Spacer

    styles = pdf_styles()
    photos = _photo_files(snapshot)
    right = ParagraphStyle("right", parent=styles["BodyText"], alignment=TA_RIGHT)
    story = [pdf_paragraph(line, right) for line in _acceptance(snapshot)]
    story.append(pdf_paragraph(title_of(snapshot), styles["Heading1"]))
    total = len(snapshot["sections"]) + 1
    for n, section in enumerate(snapshot["sections"], start=1):
        story.append(pdf_paragraph(f"{n}. {section['title']}", styles["Heading2"]))
        custom = registry.get(section["code"])
        if custom is not None and custom.pdf is not None:
            story += custom.pdf(section, styles)
        else:
            for block in section.get("blocks", []):
                story += _pdf_block(block, styles, photos)
        if progress:
            progress(int(90 * n / total))
    for key, label in narrative_titles():
        story.append(pdf_paragraph(label, styles["Heading2"]))
        story.append(pdf_paragraph(snapshot["narrative"].get(key) or "—", styles["BodyText"]))
    story.append(Spacer(1, 24))
    story.append(pdf_paragraph(_signature(snapshot), styles["BodyText"]))
    return build_pdf(
        story, title_of(snapshot), organisation=snapshot["organisation"], landscape=False
    )
