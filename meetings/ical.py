"""iCalendar pieces shared by the calendar feed and the e-mailed invitations (RFC 5545/5546).

A meeting keeps one UID everywhere, so a calendar that got the invitation by e-mail and the same
meeting through a feed holds one event, and a move (a higher SEQUENCE) replaces it in place.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from .models import Meeting

DEFAULT_LENGTH = dt.timedelta(hours=1, minutes=30)


def meeting_uid(meeting: Meeting) -> str:
    """Globally unique: the site's own domain keeps two installations' meetings apart."""
    domain = urlsplit(settings.SITE_URL).hostname or "collegium.invalid"
    return f"meeting-{meeting.pk}@{domain}"


def meeting_event(meeting: Meeting, *, stamp: dt.datetime, base_url: str, questions=None):
    """The VEVENT of a meeting; `questions` (titles) go into its description."""
    from icalendar import Event

    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH)
    event.add("summary", f"{meeting.title} — {meeting.community.name}")
    if meeting.place:
        event.add("location", meeting.place)
    description = list(questions or [])
    if meeting.online_url:
        description.insert(0, meeting.online_url)
    event.add("description", "\n".join(description))
    event.add("url", f"{base_url}/meetings/{meeting.pk}/")
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    return event


def invitation(meeting: Meeting, *, method: str, attendees) -> bytes:
    """An iTIP message for one meeting: METHOD:REQUEST (new or moved) or METHOD:CANCEL, with
    SEQUENCE = meeting.sequence, the chair as ORGANIZER and `attendees` (people) as ATTENDEE."""
    from icalendar import Calendar, vCalAddress, vText

    calendar = Calendar()
    calendar.add("prodid", "-//Collegium//collegium//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    base_url = settings.SITE_URL.rstrip("/")
    questions = [q.title for q in meeting.questions.all()]
    event = meeting_event(meeting, stamp=timezone.now(), base_url=base_url, questions=questions)
    event.add("sequence", meeting.sequence)
    if method == "CANCEL":
        event["status"] = vText("CANCELLED")
    chair = meeting.chair
    organizer = vCalAddress(f"mailto:{chair.email or settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(chair.full_name)
    event["organizer"] = organizer
    for person in attendees:
        if not person.email:
            continue
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.full_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
