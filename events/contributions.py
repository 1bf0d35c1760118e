"""What this app adds to the apps below it; connected in EventsConfig.ready."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from planning import signals as planning_signals

from . import permissions
from .models import Event


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


def connect():
    from . import indicators, measures

    indicators.connect()
    measures.connect()
    planning_signals.plan_page.connect(_plan_events, dispatch_uid="events.plan_page")
