"""Reads for events: querysets with their joins decided here."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from people.models import Person

from . import permissions
from .models import Event, EventKind, Registration

LIST_RELATED = (
    "kind",
    "organiser_community",
    "organiser_organisation",
    "organiser_network",
    "organiser_territory",
    "territory",
)


def kinds() -> QuerySet[EventKind]:
    return EventKind.objects.all()


def visible_events(user) -> QuerySet[Event]:
    """The events the user may see, with what their list rows show but the places taken
    (`with_taken` adds those to a page)."""
    return Event.objects.filter(permissions.visible_q(user)).select_related(*LIST_RELATED)


def with_taken(events) -> list[Event]:
    """The page's events, each with `taken` (places registered) from one query for the page:
    counted over every visible event before paging, it grew with the region's registrations."""
    events = list(events)
    counts = dict(
        Registration.objects.filter(event__in=events, status=Registration.Status.REGISTERED)
        .order_by()
        .values_list("event_id")
        .annotate(n=Count("pk"))
    )
    for event in events:
        event.taken = counts.get(event.pk, 0)
    return events


def event_detail(pk: int) -> Event:
    return Event.objects.select_related(
        *LIST_RELATED,
        "organiser_community__kind",
        "organiser_community__territory",
        "responsible",
        "parent",
        "parent__kind",
        "agenda_item__meeting__plan__community",
    ).get(pk=pk)


def registration_of(user, event: Event) -> Registration | None:
    if not (user and user.is_authenticated):
        return None
    return Registration.objects.filter(event=event, person_id=user.pk).first()


def registrations(event: Event) -> QuerySet[Registration]:
    return (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("person")
        .order_by("status", "queued_at", "id")
    )


def taken_places(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.REGISTERED).count()


def arrivals(event: Event) -> QuerySet[Registration]:
    return (
        event.registrations.filter(status=Registration.Status.REGISTERED, attended=True)
        .select_related("person")
        .order_by("-attended_at", "-id")
    )


def feedback_summary(event: Event) -> dict:
    return event.feedback.aggregate(
        count=Count("id"), rating=Avg("rating"), usefulness=Avg("usefulness")
    )


def person_events(person) -> QuerySet[Event]:
    """The events a person is registered for (or waiting), for their calendar feed."""
    return (
        Event.objects.filter(
            registrations__person=person, registrations__status__in=permissions.ACTIVE
        )
        .exclude(status=Event.Status.DRAFT)
        .select_related(*LIST_RELATED)
    )


def certificate_holders(event: Event) -> list[tuple[Person, str]]:
    """Who earns a certificate of the event, with their role: "participant" (registered and
    marked present), "speaker" (programme speakers who are people), "organiser" (the responsible
    person). A person may hold several roles; no (person, role) twice."""
    seen: set[tuple[int, str]] = set()
    holders: list[tuple[Person, str]] = []

    def add(person, role: str) -> None:
        if person is not None and (person.pk, role) not in seen:
            seen.add((person.pk, role))
            holders.append((person, role))

    present = (
        event.registrations.filter(status=Registration.Status.REGISTERED, attended=True)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person_id")
    )
    for registration in present:
        add(registration.person, "participant")
    for item in event.programme.filter(speaker__isnull=False).select_related("speaker"):
        add(item.speaker, "speaker")
    if event.responsible_id:
        add(Person.objects.get(pk=event.responsible_id), "organiser")
    return holders


FEEDBACK_WITHIN = dt.timedelta(days=7)


def feedback_waiting_for(user, limit: int) -> list[Event]:
    """Events of the last week the person attended and has not given feedback on yet (the
    dashboard's list form of `permissions.can_leave_feedback`)."""
    if not (user and user.is_authenticated):
        return []
    now = timezone.now()
    return list(
        Event.objects.filter(
            status__in=permissions.RUNNING,
            starts_at__lte=now,
            starts_at__gt=now - FEEDBACK_WITHIN,
            registrations__person=user,
            registrations__status=Registration.Status.REGISTERED,
            registrations__attended=True,
        )
        .exclude(feedback__person=user)
        .select_related("kind")
        .order_by("-starts_at", "-id")[:limit]
    )
