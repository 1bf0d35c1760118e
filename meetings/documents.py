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
    docx_heading,
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


def _head_lines(meeting: Meeting) -> list[str]:
    present = [p.person.full_name for p in meeting.participants.all() if p.attended]
    absent = [p.person.full_name for p in meeting.participants.all() if p.attended is False]
    where = ", ".join(x for x in (meeting.place, meeting.online_url) if x)
    return [
        _("Date: %(date)s") % {"date": f"{timezone.localtime(meeting.starts_at):%d.%m.%Y %H:%M}"},
        _("Place: %(place)s") % {"place": where},
        _("Chair: %(name)s") % {"name": meeting.chair.full_name},
        _("Present (%(n)s): %(names)s") % {"n": len(present), "names": ", ".join(present)},
        _("Absent (%(n)s): %(names)s") % {"n": len(absent), "names": ", ".join(absent) or "—"},
    ]  # fmt: skip


def _question_blocks(meeting: Meeting) -> list[tuple[str, str, str, list[Decision]]]:
    decisions = list(meeting.decisions.all())
    blocks = []
    for n, question in enumerate(meeting.questions.all(), start=1):
        mine = [d for d in decisions if d.question_id == question.pk]
        blocks.append((f"{n}. {question.title}", question.speakers, question.summary, mine))
    loose = [d for d in decisions if d.question_id is None]
    if loose:
        blocks.append((_("Other decisions"), "", "", loose))
    return blocks


def _decision_line(d: Decision) -> str:
    parts = [d.text]
    if d.assignee:
        parts.append(_("assignee: %(name)s") % {"name": d.assignee.full_name})
    if d.due_on:
        parts.append(_("due %(date)s") % {"date": d.due_on.strftime("%d.%m.%Y")})
    return "; ".join(parts)


def _signature(meeting: Meeting) -> str:
    minutes = meeting.minutes
    if minutes.is_signed:
        return _("Signed by the leader %(name)s on %(when)s") % {
            "name": minutes.signed_by.full_name,
            "when": timezone.localtime(minutes.signed_at).strftime("%d.%m.%Y %H:%M"),
        }
    return _("Leader: ____________ (not signed yet)")


def minutes_docx(meeting: Meeting) -> bytes:
    document = new_docx(title=_minutes_title(meeting), organisation=meeting.community.host.name)
    docx_heading(document, _minutes_title(meeting), level=1)
    for line in _head_lines(meeting):
        docx_paragraph(document, line)
    docx_heading(document, _("Agenda and decisions"), level=2)
    for title, speakers, summary, decisions in _question_blocks(meeting):
        docx_run(docx_paragraph(document), title, bold=True)
        if speakers:
            docx_paragraph(document, _("Speakers: %(names)s") % {"names": speakers})
        if summary:
            docx_paragraph(document, summary)
        for decision in decisions:
            docx_paragraph(document, _decision_line(decision), style="List Bullet")
    for addendum in meeting.minutes.addenda.all():
        docx_paragraph(
            document,
            _("Addendum of %(date)s: %(text)s")
            % {"date": addendum.at.strftime("%d.%m.%Y"), "text": addendum.text},
        )
    docx_paragraph(document, _signature(meeting))
    return docx_bytes(document)


def minutes_pdf(meeting: Meeting) -> bytes:
    styles = pdf_styles()
    story = [pdf_paragraph(_minutes_title(meeting), styles["Heading1"])]
    story += [pdf_paragraph(line, styles["BodyText"]) for line in _head_lines(meeting)]
    story.append(pdf_paragraph(_("Agenda and decisions"), styles["Heading2"]))
    for title, speakers, summary, decisions in _question_blocks(meeting):
        story.append(pdf_paragraph(title, styles["Heading3"]))
        if speakers:
            story.append(
                pdf_paragraph(_("Speakers: %(names)s") % {"names": speakers}, styles["BodyText"])
            )
        if summary:
            story.append(pdf_paragraph(summary, styles["BodyText"]))
        for decision in decisions:
            story.append(pdf_paragraph("• " + _decision_line(decision), styles["BodyText"]))
    for addendum in meeting.minutes.addenda.all():
        story.append(pdf_paragraph(
            _("Addendum of %(date)s: %(text)s")
            % {"date": addendum.at.strftime("%d.%m.%Y"), "text": addendum.text},
            styles["BodyText"],
        ))  # fmt: skip
    story.append(pdf_paragraph(_signature(meeting), styles["BodyText"]))
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
