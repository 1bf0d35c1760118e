"""Reads for events: querysets with their joins decided here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from people.models import Person

from . import permissions
from .models import Event, EventKind, Feedback, Material, ProgrammeItem, ProtocolRow, Registration

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


def _feedback_owed(now: dt.datetime) -> QuerySet[Registration]:
    """Who owes feedback on which event: an attendee of an event not cancelled that started
    within the last week, who has not left feedback on it. The one rule behind the dashboard's
    list and the feedback reminders (the list form of `permissions.can_leave_feedback`)."""
    answered = Feedback.objects.filter(
        event_id=OuterRef("event_id"), person_id=OuterRef("person_id")
    )
    return Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        attended=True,
        event__status__in=permissions.RUNNING,
        event__starts_at__lte=now,
        event__starts_at__gt=now - FEEDBACK_WITHIN,
    ).exclude(Exists(answered))


def feedback_waiting_for(user, limit: int) -> list[Event]:
    """Events of the last week the person attended and has not given feedback on yet."""
    if not (user and user.is_authenticated):
        return []
    owed = _feedback_owed(timezone.now()).filter(person_id=user.pk).values("event_id")
    return list(
        Event.objects.filter(pk__in=owed)
        .select_related("kind")
        .order_by("-starts_at", "-id")[:limit]
    )


def events_owed_feedback(now: dt.datetime) -> QuerySet[Event]:
    """Events someone still owes feedback on (what the feedback reminders go through)."""
    return Event.objects.filter(pk__in=_feedback_owed(now).values("event_id")).order_by("pk")


def feedback_owed_on(event: Event, now: dt.datetime | None = None) -> list[Person]:
    """The attendees of the event who have not given feedback yet, by the dashboard's rule."""
    owed = _feedback_owed(now or timezone.now()).filter(event=event).values("person_id")
    return list(Person.objects.filter(pk__in=owed, is_active=True).order_by("pk"))


# The report ------------------------------------------------------------------------------------

REPORT_PHOTOS = 12


def _figure(qs, aggregate, output=None):
    """One figure per event of a list, as a subquery of the list's one query."""
    sub = qs.filter(event_id=OuterRef("pk")).order_by().values("event_id")
    return Subquery(sub.annotate(figure=aggregate).values("figure")[:1], output_field=output)


def with_report_figures(qs: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with `registered`, `attended`, `feedback_count`, `rating`, `usefulness`."""
    registered = Registration.objects.filter(status=Registration.Status.REGISTERED)
    return qs.annotate(
        registered=Coalesce(
            _figure(registered, Count("pk"), IntegerField()), Value(0), output_field=IntegerField()
        ),
        attended=Coalesce(
            _figure(registered.filter(attended=True), Count("pk"), IntegerField()),
            Value(0),
            output_field=IntegerField(),
        ),
        feedback_count=Coalesce(
            _figure(Feedback.objects.all(), Count("pk"), IntegerField()),
            Value(0),
            output_field=IntegerField(),
        ),
        rating=_figure(Feedback.objects.all(), Avg("rating")),
        usefulness=_figure(Feedback.objects.all(), Avg("usefulness")),
    )


@dataclass
class EventReport:
    """What the analysis document says: the event with its figures, its programme (a decade's
    events with theirs, or the talks), the totals, and the photos of the analysis."""

    event: Event
    children: list[Event] = field(default_factory=list)
    talks: list[ProgrammeItem] = field(default_factory=list)
    photos: list[Material] = field(default_factory=list)

    @property
    def rows(self) -> list[Event]:
        """The events counted: a decade's own and its programme's, or the event alone."""
        return [self.event, *self.children]

    @property
    def registered(self) -> int:
        return sum(e.registered for e in self.rows)

    @property
    def attended(self) -> int:
        return sum(e.attended for e in self.rows)

    @property
    def feedback_count(self) -> int:
        return sum(e.feedback_count for e in self.rows)

    def _average(self, name: str) -> float | None:
        rated = [e for e in self.rows if e.feedback_count and getattr(e, name) is not None]
        weight = sum(e.feedback_count for e in rated)
        if not weight:
            return None
        return sum(float(getattr(e, name)) * e.feedback_count for e in rated) / weight

    @property
    def rating(self) -> float | None:
        return self._average("rating")

    @property
    def usefulness(self) -> float | None:
        return self._average("usefulness")


def event_report(event: Event) -> EventReport:
    """The report's reads, in a fixed number of queries whatever the programme's length."""
    figures = with_report_figures(Event.objects.filter(pk=event.pk)).values(
        "registered", "attended", "feedback_count", "rating", "usefulness"
    )[0]
    for name, value in figures.items():
        setattr(event, name, value)
    report = EventReport(event=event)
    if event.kind.is_series:
        report.children = list(
            with_report_figures(event.children.exclude(status=Event.Status.DRAFT))
            .select_related("kind")
            .order_by("starts_at", "id")
        )
    report.talks = list(event.programme.select_related("speaker"))
    report.photos = list(
        event.materials.filter(is_photo=True)
        .exclude(file="")
        .order_by("added_at", "id")[:REPORT_PHOTOS]
    )
    return report


def protocol_by_class(event: Event) -> list[tuple[str, list[ProtocolRow]]]:
    """The protocol's rows grouped by class («5 А» before «10 Б»), each class by place (the
    unplaced last), then by score, highest first."""
    groups: dict[str, list[ProtocolRow]] = {}
    for row in event.protocol.all():
        groups.setdefault(" ".join(row.school_class.split()), []).append(row)

    def class_key(name: str):
        digits = "".join(ch for ch in name if ch.isdigit())
        return (int(digits) if digits else 99, name.casefold())

    def row_key(row: ProtocolRow):
        return (row.place is None, row.place or 0, -row.score, row.order, row.pk)

    return [(name, sorted(groups[name], key=row_key)) for name in sorted(groups, key=class_key)]
