"""Minutes as DOCX and PDF, decisions as XLSX, meetings as an iCalendar feed."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.documents import (
    build_pdf,
    collection_paused,
    docx_bytes,
    docx_paragraph,
    docx_run,
    new_docx,
    pdf_paragraph,
    pdf_styles,
    xlsx_bytes,
    xlsx_cell,
    xlsx_workbook,
)

from .models import Decision, Meeting


def _minutes_title(meeting: Meeting) -> str:
    minutes = meeting.minutes
    return _("Minutes No. %(n)s of the meeting of «%(community)s»") % {
        "n": minutes.number,
        "community": meeting.community.name,
    }


def _initials(person) -> str:
    """How a signature is written out under the line: «И. П. Иванова»."""
    initials = " ".join(f"{name[0]}." for name in (person.first_name, person.middle_name) if name)
    return f"{initials} {person.last_name}".strip() if person.last_name else person.full_name


def _people(participants, attended: bool) -> list[str]:
    names = [
        f"{p.person.full_name} ({_('guest')})" if p.is_guest else p.person.full_name
        for p in participants
        if p.attended is attended
    ]
    return sorted(names, key=str.casefold)


def _decision_line(d: Decision) -> str:
    parts = [d.text]
    if d.assignee:
        parts.append(_("assignee: %(name)s") % {"name": d.assignee.full_name})
    if d.due_on:
        parts.append(_("due %(date)s") % {"date": d.due_on.strftime("%d.%m.%Y")})
    return "; ".join(parts)


# The minutes as the blocks of a Russian протокол (ГОСТ Р 7.0.97): each block is (kind, text),
# and the DOCX and the PDF draw the same blocks, so the two files cannot say different things.
# Kinds: org and body (centred), title (centred, bold), label (bold), line, item (indented),
# signature (a line to sign by hand).
Block = tuple[str, str]


def minutes_blocks(meeting: Meeting) -> list[Block]:
    minutes = meeting.minutes
    participants = list(meeting.participants.all())
    present, absent = _people(participants, True), _people(participants, False)
    where = ", ".join(x for x in (meeting.place, meeting.online_url) if x)
    secretary = minutes.secretary
    blocks: list[Block] = [
        ("org", meeting.community.host.name),
        ("body", meeting.community.name),
        ("title", _("MINUTES No. %(n)s") % {"n": minutes.number}),
        ("line", _("Date: %(date)s")
         % {"date": f"{timezone.localtime(meeting.starts_at):%d.%m.%Y %H:%M}"}),
    ]  # fmt: skip
    if where:
        blocks.append(("line", _("Place: %(place)s") % {"place": where}))
    blocks += [
        ("line", _("Topic: %(title)s") % {"title": meeting.title}),
        ("line", _("Chair: %(name)s") % {"name": meeting.chair.full_name}),
        ("line", _("Secretary: %(name)s") % {"name": secretary.full_name if secretary else "—"}),
        ("label", _("Present: %(n)s") % {"n": len(present)}),
        ("item", ", ".join(present) or "—"),
        ("label", _("Absent: %(n)s") % {"n": len(absent)}),
        ("item", ", ".join(absent) or "—"),
        ("label", _("Agenda")),
    ]
    questions = list(meeting.questions.all())
    blocks += [("item", f"{n}. {q.title}") for n, q in enumerate(questions, start=1)]
    decisions = list(meeting.decisions.all())
    for n, question in enumerate(questions, start=1):
        blocks.append(("label", f"{n}. {question.title}"))
        heard = " — ".join(x for x in (question.speakers, question.summary) if x)
        blocks.append(("line", _("HEARD: %(text)s") % {"text": heard or "—"}))
        mine = [d for d in decisions if d.question_id == question.pk]
        if mine:
            blocks.append(("line", _("DECIDED:")))
            blocks += [
                ("item", f"{n}.{k}. {_decision_line(d)}") for k, d in enumerate(mine, start=1)
            ]
    loose = [d for d in decisions if d.question_id is None]
    if loose:
        blocks += [("label", _("Other decisions")), ("line", _("DECIDED:"))]
        blocks += [("item", f"{k}. {_decision_line(d)}") for k, d in enumerate(loose, start=1)]
    for addendum in minutes.addenda.all():
        blocks.append((
            "line",
            _("Addendum of %(date)s: %(text)s")
            % {"date": timezone.localtime(addendum.at).strftime("%d.%m.%Y"), "text": addendum.text},
        ))  # fmt: skip
    if minutes.is_signed:
        blocks.append(("line", _("Signed by the leader %(name)s on %(when)s") % {
            "name": minutes.signed_by.full_name,
            "when": timezone.localtime(minutes.signed_at).strftime("%d.%m.%Y %H:%M"),
        }))  # fmt: skip
    blank = "____________"
    blocks += [
        ("signature", _("Chair %(line)s /%(name)s/")
         % {"line": blank, "name": _initials(meeting.chair)}),
        ("signature", _("Secretary %(line)s /%(name)s/")
         % {"line": blank, "name": _initials(secretary) if secretary else blank}),
    ]  # fmt: skip
    return blocks


def minutes_docx(meeting: Meeting) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = new_docx(title=_minutes_title(meeting), organisation=meeting.community.host.name)
    for kind, text in minutes_blocks(meeting):
        paragraph = docx_paragraph(document)
        docx_run(paragraph, text, bold=kind in ("org", "title", "label"))
        if kind in ("org", "body", "title"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if kind == "title":
            paragraph.paragraph_format.space_before = Pt(12)
            paragraph.paragraph_format.space_after = Pt(12)
        if kind == "item":
            paragraph.paragraph_format.left_indent = Cm(0.75)
        if kind == "signature":
            paragraph.paragraph_format.space_before = Pt(24)
    return docx_bytes(document)


def minutes_pdf(meeting: Meeting) -> bytes:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    styles = pdf_styles()
    body = styles["BodyText"]
    bold = ParagraphStyle("MinutesBold", parent=body, fontName="DejaVu-Bold")
    kinds = {
        "org": ParagraphStyle("MinutesOrg", parent=bold, alignment=TA_CENTER),
        "body": ParagraphStyle("MinutesBody", parent=body, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "MinutesTitle", parent=bold, alignment=TA_CENTER, fontSize=12, leading=15,
            spaceBefore=10, spaceAfter=10,
        ),
        "label": ParagraphStyle("MinutesLabel", parent=bold, spaceBefore=4),
        "line": body,
        "item": ParagraphStyle("MinutesItem", parent=body, leftIndent=20),
        "signature": ParagraphStyle("MinutesSignature", parent=body, spaceBefore=24),
    }  # fmt: skip
    story = [pdf_paragraph(text, kinds[kind]) for kind, text in minutes_blocks(meeting)]
    return build_pdf(
        story, _minutes_title(meeting), organisation=meeting.community.host.name, landscape=False
    )


def decisions_xlsx(decisions: Iterable[Decision], title: str) -> bytes:
    workbook = xlsx_workbook()
    sheet = workbook.create_sheet(_("Decisions")[:31])
    widths = (60, 35, 14, 30, 12, 14, 10, 40)
    for column, width in zip("ABCDEFGH", widths, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append([xlsx_cell(sheet, title, bold=True, size=13)])
    header = [
        _("Decision"),
        _("Meeting"),
        _("Meeting date"),
        _("Assignee"),
        _("Due"),
        _("Status"),
        _("Overdue"),
        _("Evidence"),
    ]
    sheet.append([xlsx_cell(sheet, name, bold=True) for name in header])
    for d in decisions:
        sheet.append([
            xlsx_cell(sheet, d.text, wrap=True),
            xlsx_cell(sheet, d.meeting.title),
            xlsx_cell(sheet, timezone.localtime(d.meeting.starts_at)),
            xlsx_cell(sheet, d.assignee.full_name if d.assignee else ""),
            xlsx_cell(sheet, d.due_on),
            xlsx_cell(sheet, d.get_status_display()),
            xlsx_cell(sheet, _("yes") if d.is_overdue else ""),
            xlsx_cell(sheet, d.evidence),
        ])  # fmt: skip
    return xlsx_bytes(workbook)


def calendar_ics(meetings: Iterable[Meeting], name: str, base_url: str) -> bytes:
    """RFC 5545 feed; each meeting keeps one UID, so calendars update it in place."""
    # Hundreds of events make tens of thousands of short-lived objects.
    with collection_paused():
        return _calendar_ics(meetings, name, base_url)


def _calendar_ics(meetings: Iterable[Meeting], name: str, base_url: str) -> bytes:
    from icalendar import Calendar

    from .ical import meeting_event

    calendar = Calendar()
    calendar.add("prodid", "-//Collegium//collegium//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for meeting in meetings:
        questions = [q.title for q in meeting.questions.all()]
        calendar.add_component(
            meeting_event(meeting, stamp=stamp, base_url=base_url, questions=questions)
        )
    return calendar.to_ical()
