"""Exports of events: the olympiad stage's protocol (XLSX, and the paper version as DOCX and
PDF), the organiser's analysis or a decade's final report (DOCX and PDF), iCalendar feeds.

The DOCX and PDF are drawn from one list of blocks, so both say the same: A4, the school's (or
the organiser's) name at the top, Russian, signature lines at the end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.documents import (
    build_pdf,
    collection_paused,
    docx_bytes,
    docx_paragraph,
    docx_run,
    docx_table,
    new_docx,
    pdf_paragraph,
    pdf_styles,
    pdf_table,
    xlsx_bytes,
    xlsx_cell,
    xlsx_workbook,
)

from .models import Event, Material
from .selectors import EventReport, protocol_by_class

# Blocks drawn the same way in both files: (kind, content). Kinds: org (bold, centred), title
# (bold, centred, larger), body (centred), label (bold), line, table ((rows, widths in cm)),
# photo ((jpeg bytes, width px, height px, caption)), signature.
Block = tuple[str, object]
SIGNATURE_LINE = "________________"
NAME_LINE = "__________________________"
JURY_MEMBER_LINES = 3
PHOTO_PIXELS = 1200  # a photo is scaled down to this on its longer side before it is embedded
PHOTO_WIDTH_CM = 12

DEFAULT_LENGTH = dt.timedelta(hours=1, minutes=30)


def protocol_xlsx(event: Event) -> bytes:
    workbook = xlsx_workbook()
    sheet = workbook.create_sheet(_("Protocol")[:31])
    sheet.append([xlsx_cell(sheet, event.title, bold=True)])
    sheet.append([xlsx_cell(sheet, event.subject), xlsx_cell(sheet, event.starts_at)])
    sheet.append([])
    header = [_("No."), _("first name"), _("initial"), _("class"), _("score"), _("place")]
    sheet.append([xlsx_cell(sheet, h, bold=True) for h in header])
    for number, row in enumerate(event.protocol.all(), start=1):
        sheet.append(
            [
                number,
                xlsx_cell(sheet, row.first_name),
                xlsx_cell(sheet, f"{row.initial}."),
                xlsx_cell(sheet, row.school_class),
                row.score,
                row.place,
            ]
        )
    return xlsx_bytes(workbook)


def event_uid(event: Event) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "collegium.invalid"
    return f"event-{event.pk}@{domain}"


def calendar_ics(events: Iterable[Event], name: str, base_url: str) -> bytes:
    """RFC 5545 feed of events; each keeps one UID, so calendars update it in place."""
    # Hundreds of events make tens of thousands of short-lived objects: no collections meanwhile.
    with collection_paused():
        return _calendar_ics(events, name, base_url)


def _calendar_ics(events: Iterable[Event], name: str, base_url: str) -> bytes:
    from icalendar import Calendar
    from icalendar import Event as VEvent

    calendar = Calendar()
    calendar.add("prodid", "-//Collegium//collegium//RU")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for event in events:
        item = VEvent()
        item.add("uid", event_uid(event))
        item.add("dtstamp", stamp)
        item.add("dtstart", event.starts_at)
        item.add("dtend", event.ends_at or event.starts_at + DEFAULT_LENGTH)
        item.add("summary", f"{event.kind.name}: {event.title}")
        item.add("sequence", event.sequence)
        if event.place:
            item.add("location", event.place)
        description = [event.online_url] if event.online_url else []
        if event.description:
            description.append(event.description)
        item.add("description", "\n".join(description))
        item.add("url", f"{base_url}/events/{event.pk}/")
        cancelled = event.status == Event.Status.CANCELLED
        item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(item)
    return calendar.to_ical()


# Paper documents -------------------------------------------------------------------------------


def organiser_header(event: Event) -> str:
    """The name at the top of the paper: the school (a school's community's too), else the
    network or the centre's territory that organises the event."""
    if event.organiser_organisation_id:
        return event.organiser_organisation.name
    community = event.organiser_community
    if community is not None:
        host = community.organisation or community.network or community.territory
        return host.name if host else community.name
    organiser = event.organiser
    return organiser.name if organiser else ""


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y") if moment else ""


def _score(value: Decimal) -> str:
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return formats.number_format(Decimal(text))


def _average(value) -> str:
    return formats.number_format(value, decimal_pos=1) if value is not None else "—"


def _facts(event: Event, *, with_place: bool = True) -> list[Block]:
    when = _day(event.starts_at)
    if event.ends_at and _day(event.ends_at) != when:
        when += f" – {_day(event.ends_at)}"
    facts = [
        (_("Subject: %(v)s"), event.subject),
        (_("Date: %(v)s"), when),
        (_("Place: %(v)s"), event.place if with_place else ""),
        (_("Organiser: %(v)s"), str(event.organiser or "")),
    ]
    return [("line", label % {"v": value}) for label, value in facts if value]


def protocol_title(event: Event) -> str:
    return _("Protocol of the results: %(title)s") % {"title": event.title}


def protocol_blocks(event: Event) -> list[Block]:
    """The paper protocol: the school's header, the stage, a table per class with the score and
    place, and blank lines for the signatures of the jury's chair and members."""
    groups = protocol_by_class(event)
    blocks: list[Block] = [
        ("org", organiser_header(event)),
        ("title", _("Protocol").upper()),
        ("body", f"{event.kind.name}: {event.title}"),
        *_facts(event),
        ("line", _("Participants: %(n)s") % {"n": sum(len(rows) for _c, rows in groups)}),
    ]
    if not groups:
        blocks.append(("line", _("No participants are recorded.")))
    header = [_("No."), _("Participant"), _("Score"), _("Place")]
    for school_class, rows in groups:
        blocks.append(("label", _("Class %(name)s") % {"name": school_class}))
        table = [header] + [
            [
                str(number),
                f"{row.first_name} {row.initial}.",
                _score(row.score),
                str(row.place) if row.place else "—",
            ]
            for number, row in enumerate(rows, start=1)
        ]
        blocks.append(("table", (table, [1.5, 9.5, 3.5, 3.5])))
    blocks.append(
        ("signature", _("Chair of the jury: %(sign)s / %(name)s /")
         % {"sign": SIGNATURE_LINE, "name": NAME_LINE})
    )  # fmt: skip
    blocks.append(("label", _("Members of the jury:")))
    for _n in range(JURY_MEMBER_LINES):
        blocks.append(("line", f"{SIGNATURE_LINE} / {NAME_LINE} /"))
    return blocks


def report_title(event: Event) -> str:
    if event.kind.is_series:
        return _("Final report of the decade: %(title)s") % {"title": event.title}
    return _("Analysis of the event: %(title)s") % {"title": event.title}


def _photo(material: Material) -> tuple[bytes, int, int] | None:
    """The photo scaled down and re-encoded as JPEG; None for a file that is not a picture any
    more (missing, damaged, or a decompression bomb), which the report then leaves out."""
    from PIL import Image

    try:
        with material.file.open("rb") as source:
            image = Image.open(BytesIO(source.read(settings.MAX_UPLOAD_BYTES + 1)))
            image.draft("RGB", (PHOTO_PIXELS, PHOTO_PIXELS))
            image.thumbnail((PHOTO_PIXELS, PHOTO_PIXELS))
            image = image.convert("RGB")
            out = BytesIO()
            image.save(out, "JPEG", quality=80)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return out.getvalue(), image.width, image.height


def report_blocks(report: EventReport) -> list[Block]:
    """The analysis (a decade's final report): the event, its programme with attendance and
    feedback, the totals, the organiser's text, the photos, the responsible's signature."""
    event = report.event
    blocks: list[Block] = [
        ("org", organiser_header(event)),
        ("title", report_title(event)),
        ("body", event.kind.name),
        *_facts(event),
    ]
    if event.responsible_id:
        blocks.append(("line", _("Responsible: %(v)s") % {"v": event.responsible.full_name}))
    if event.kind.is_series:
        blocks.append(("label", _("Programme of the decade")))
        header = [
            _("Date"), _("Event"), _("Status"), _("Signed up"), _("Turnout"), _("Reviews"),
            _("Avg. rating"),
        ]  # fmt: skip
        rows = [
            [
                _day(child.starts_at), f"{child.title} ({child.kind.name})",
                child.get_status_display(), str(child.registered), str(child.attended),
                str(child.feedback_count), _average(child.rating),
            ]
            for child in report.children
        ]  # fmt: skip
        if not rows:
            rows = [["—", _("No events in the programme yet."), "", "", "", "", ""]]
        blocks.append(("table", ([header, *rows], [2.5, 5.1, 2.2, 2.4, 1.6, 1.8, 2.4])))
    elif report.talks:
        blocks.append(("label", _("Programme")))
        rows = [
            [item.time.strftime("%H:%M") if item.time else "", item.title, item.speaker_display]
            for item in report.talks
        ]
        blocks.append(("table", ([[_("Time"), _("Title"), _("Speaker")], *rows], [2, 10, 6])))
    blocks.append(("label", _("Attendance and feedback")))
    figures = [
        [_("Registered"), str(report.registered)],
        [_("Attended"), str(report.attended)],
        [_("Feedback received"), str(report.feedback_count)],
        [_("Average overall rating (1–5)"), _average(report.rating)],
        [_("Average usefulness (1–5)"), _average(report.usefulness)],
    ]
    blocks.append(("table", ([[_("Figure"), _("Value")], *figures], [12, 6])))
    blocks.append(
        ("label", _("Final report") if event.kind.is_series else _("Organiser's analysis"))
    )
    for line in (event.analysis or "—").split("\n"):
        blocks.append(("line", line))
    photos = [(m, _photo(m)) for m in report.photos]
    photos = [(m, p) for m, p in photos if p is not None]
    if photos:
        blocks.append(("label", _("Photos")))
        for material, (content, width, height) in photos:
            blocks.append(("photo", (content, width, height, material.title)))
    responsible = event.responsible.full_name if event.responsible_id else NAME_LINE
    blocks.append(
        ("signature", _("Responsible: %(sign)s / %(name)s /   %(date)s")
         % {"sign": SIGNATURE_LINE, "name": responsible,
            "date": timezone.localdate().strftime("%d.%m.%Y")})
    )  # fmt: skip
    return blocks


def blocks_docx(blocks: list[Block], *, title: str, organisation: str) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = new_docx(title=title, organisation=organisation)
    for kind, content in blocks:
        if kind == "table":
            rows, widths = content
            table = docx_table(document, rows)
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=True):
                    cell.width = Cm(width)
            continue
        if kind == "photo":
            picture, width, height, caption = content
            document.add_picture(BytesIO(picture), width=Cm(PHOTO_WIDTH_CM))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            docx_paragraph(document, caption).alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        paragraph = docx_paragraph(document)
        docx_run(paragraph, content, bold=kind in ("org", "title", "label"))
        if kind in ("org", "title", "body"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if kind == "title":
            for run in paragraph.runs:
                run.font.size = Pt(13)
            paragraph.paragraph_format.space_before = Pt(12)
            paragraph.paragraph_format.space_after = Pt(6)
        if kind == "label":
            paragraph.paragraph_format.space_before = Pt(10)
        if kind == "signature":
            paragraph.paragraph_format.space_before = Pt(24)
    return docx_bytes(document)


def blocks_pdf(blocks: list[Block], *, title: str, organisation: str) -> bytes:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, KeepTogether

    styles = pdf_styles()
    body = styles["BodyText"]
    bold = ParagraphStyle("EventBold", parent=body, fontName="DejaVu-Bold")
    kinds = {
        "org": ParagraphStyle("EventOrg", parent=bold, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "EventTitle", parent=bold, alignment=TA_CENTER, fontSize=12, leading=15,
            spaceBefore=10, spaceAfter=6,
        ),
        "body": ParagraphStyle("EventBody", parent=body, alignment=TA_CENTER, spaceAfter=6),
        "label": ParagraphStyle("EventLabel", parent=bold, spaceBefore=8, spaceAfter=3),
        "line": ParagraphStyle("EventLine", parent=body, spaceAfter=2),
        "signature": ParagraphStyle("EventSignature", parent=body, spaceBefore=24),
    }  # fmt: skip
    caption = ParagraphStyle("EventCaption", parent=body, alignment=TA_CENTER, spaceAfter=8)
    story = []
    for kind, content in blocks:
        if kind == "table":
            rows, widths = content
            story.append(pdf_table(rows, [w * cm for w in widths], styles))
        elif kind == "photo":
            picture, width, height = content[:3]
            shown = PHOTO_WIDTH_CM * cm
            story.append(
                KeepTogether([
                    Image(BytesIO(picture), width=shown, height=shown * height / width),
                    pdf_paragraph(content[3], caption),
                ])
            )  # fmt: skip
        else:
            story.append(pdf_paragraph(content, kinds[kind]))
    return build_pdf(story, title, organisation=organisation, landscape=False)


def protocol_docx(event: Event) -> bytes:
    return blocks_docx(
        protocol_blocks(event), title=protocol_title(event), organisation=organiser_header(event)
    )


def protocol_pdf(event: Event) -> bytes:
    return blocks_pdf(
        protocol_blocks(event), title=protocol_title(event), organisation=organiser_header(event)
    )


def report_docx(report: EventReport) -> bytes:
    event = report.event
    return blocks_docx(
        report_blocks(report), title=report_title(event), organisation=organiser_header(event)
    )


def report_pdf(report: EventReport) -> bytes:
    event = report.event
    return blocks_pdf(
        report_blocks(report), title=report_title(event), organisation=organiser_header(event)
    )
