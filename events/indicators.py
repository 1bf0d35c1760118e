"""Figures a plan's target can be computed from, out of events: those the community held and its
members' part in events (registered with planning.indicators in EventsConfig.ready)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planning import indicators
from planning.indicators import Measure, Source

from .models import Event


def _held_in_year(plan):
    start, end = indicators.year_bounds(plan.school_year)
    return Event.objects.filter(status=Event.Status.HELD, starts_at__date__range=(start, end))


def _events_held(plan) -> Measure | None:
    start, end = indicators.year_bounds(plan.school_year)
    held = _held_in_year(plan).filter(organiser_community_id=plan.community_id).count()
    query = urlencode(
        {
            "community": plan.community_id,
            "status": Event.Status.HELD,
            "date_from": start.isoformat(),
            "date_to": end.isoformat(),
        }
    )
    return Measure(
        value=indicators.Decimal(held),
        detail=_("%(n)s events held") % {"n": held},
        url=f"{reverse('events:list')}?{query}",
    )


def _members_attended(plan) -> Measure | None:
    return indicators.members_with(plan, "events_attended", _("attended an event this school year"))


def _members_spoke(plan) -> Measure | None:
    return indicators.members_with(plan, "events_spoken", _("spoke at an event this school year"))


def connect() -> None:
    indicators.register(
        Source(
            "events_held",
            gettext_lazy("Events the community held"),
            gettext_lazy("events"),
            gettext_lazy("events organised by the community and marked held in the school year"),
            _events_held,
        )
    )
    indicators.register(
        Source(
            "members_attended_events",
            gettext_lazy("Members who attended events"),
            indicators.PERCENT,
            gettext_lazy("members present at a held event in the school year ÷ members × 100"),
            _members_attended,
        )
    )
    indicators.register(
        Source(
            "members_spoke_at_events",
            gettext_lazy("Members who spoke at events"),
            indicators.PERCENT,
            gettext_lazy(
                "members in the programme of a held event in the school year ÷ members × 100"
            ),
            _members_spoke,
        )
    )
