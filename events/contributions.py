"""What this app adds to the apps below it; connected in EventsConfig.ready."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from people import signals as people_signals
from people.signals import PortfolioSection
from planning import signals as planning_signals

from . import permissions
from .models import Event, ProgrammeItem

# The kinds whose held events are a teacher's lessons shown to colleagues (kinds are data: these
# codes are the ones the kinds' migration adds).
SHOWN_LESSON_KINDS = ("open-lesson", "master-class")


@dataclass
class PlanEvent:
    """An event carrying out an item of the plan, as the plan's page lists it."""

    item_action: str
    title: str
    kind: str
    starts_at: object
    status: str
    status_label: str
    url: str


def plan_events_of(plan, user) -> list[PlanEvent]:
    """Events that carry out the plan's agenda items (not cancelled), which the user may see:
    one query for the whole plan."""
    rows = (
        Event.objects.filter(agenda_item__meeting__plan=plan)
        .filter(permissions.visible_q(user))
        .exclude(status=Event.Status.CANCELLED)
        .select_related("kind", "agenda_item")
        .order_by("starts_at", "id")
    )
    return [
        PlanEvent(
            item_action=e.agenda_item.action,
            title=e.title,
            kind=e.kind.name,
            starts_at=e.starts_at,
            status=e.status,
            status_label=e.get_status_display(),
            url=reverse("events:detail", args=[e.pk]),
        )
        for e in rows
    ]


def _plan_events(sender, *, request, plan, **kwargs):
    return {"plan_events": plan_events_of(plan, request.user)}


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y")


def _since(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def spoken_at(person, since: dt.date) -> list[ProgrammeItem]:
    """The programme items of held events since `since` at which the person spoke: one query."""
    return list(
        ProgrammeItem.objects.filter(
            speaker=person, event__status=Event.Status.HELD, event__starts_at__gte=_since(since)
        )
        .select_related(
            "event__kind",
            "event__organiser_community",
            "event__organiser_organisation",
            "event__organiser_network",
            "event__organiser_territory",
        )
        .order_by("event__starts_at", "event_id", "order", "id")
    )


def lessons_shown(person, since: dt.date) -> list[Event]:
    """Held open lessons and master classes since `since` that the person gave (as the event's
    responsible or a speaker of its programme): one query."""
    speaks = ProgrammeItem.objects.filter(event_id=OuterRef("pk"), speaker=person)
    return list(
        Event.objects.filter(
            kind__code__in=SHOWN_LESSON_KINDS,
            status=Event.Status.HELD,
            starts_at__gte=_since(since),
        )
        .filter(Q(responsible=person) | Q(Exists(speaks)))
        .select_related(
            "kind",
            "organiser_community",
            "organiser_organisation",
            "organiser_network",
            "organiser_territory",
        )
        .order_by("starts_at", "id")
    )


def _portfolio_sections(sender, *, person, since, **kwargs) -> list[PortfolioSection]:
    """The teacher's talks at events and the open lessons and master classes they gave.

    The portfolio is read by whoever may see the teacher's databank record, which already lists
    the certificates of these events; so the held events are shown whoever their audience."""
    talks = PortfolioSection(
        _("Spoke at events"),
        [_("Date"), _("Event"), _("Kind"), _("Talk"), _("Organiser")],
        [
            [
                _day(item.event.starts_at),
                item.event.title,
                item.event.kind.name,
                item.title,
                str(item.event.organiser or ""),
            ]
            for item in spoken_at(person, since)
        ],
        order=50,
    )
    lessons = PortfolioSection(
        _("Open lessons and master classes given"),
        [_("Date"), _("Kind"), _("Topic"), _("Subject"), _("Organiser")],
        [
            [
                _day(event.starts_at),
                event.kind.name,
                event.title,
                event.subject,
                str(event.organiser or ""),
            ]
            for event in lessons_shown(person, since)
        ],
        order=55,
    )
    return [talks, lessons]


def connect():
    from . import indicators, measures

    indicators.connect()
    measures.connect()
    planning_signals.plan_page.connect(_plan_events, dispatch_uid="events.plan_page")
    people_signals.portfolio_sections.connect(
        _portfolio_sections, dispatch_uid="events.portfolio_sections"
    )
