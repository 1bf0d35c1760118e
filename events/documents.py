"""Exports of events: the olympiad stage's protocol (XLSX) and iCalendar feeds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.documents import collection_paused, xlsx_bytes, xlsx_cell, xlsx_workbook

from .models import Event

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
