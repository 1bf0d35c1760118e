"""Filters of the region's events calendar, one definition for the page and the API."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from organisations.models import Network

from .models import Event, EventKind


def _kind_codes() -> list[tuple[str, str]]:
    return [(k.code, str(k)) for k in EventKind.objects.all()]


class EventFilter(filters.FilterSet):
    """Kind, subject, network and dates: what the calendar page offers."""

    kind = filters.ChoiceFilter(label=_("kind"), field_name="kind__code", choices=_kind_codes,
                                empty_label=_("Any kind"))  # fmt: skip
    subject = filters.CharFilter(label=_("subject"), field_name="subject", lookup_expr="icontains")
    network = filters.ModelChoiceFilter(
        label=_("network"), queryset=Network.objects.order_by("name"), method="of_network",
        empty_label=_("Any network"),
    )  # fmt: skip
    date_from = filters.DateFilter(label=_("from"), field_name="starts_at", lookup_expr="date__gte",
                                   widget=DateInput)  # fmt: skip
    date_to = filters.DateFilter(label=_("to"), field_name="starts_at", lookup_expr="date__lte",
                                 widget=DateInput)  # fmt: skip

    # Not offered on the page: links from a computed figure (a plan's target) to its events.
    community = filters.NumberFilter(
        label=_("organised by the community"), field_name="organiser_community"
    )
    status = filters.ChoiceFilter(label=_("status"), choices=Event.Status.choices)

    class Meta:
        model = Event
        fields: list[str] = []

    def of_network(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(organiser_network=value)
            | Q(organiser_community__network=value)
            | Q(organiser_organisation__network_memberships__network=value)
        ).distinct()


class EventApiFilter(EventFilter):
    # A code, as the API takes it: an unknown code finds nothing rather than failing.
    kind = filters.CharFilter(field_name="kind__code")
    network = filters.NumberFilter(method="of_network", help_text="A network's id.")
    status = filters.ChoiceFilter(choices=Event.Status.choices)

    class Meta:
        model = Event
        fields = ["kind", "subject", "network", "date_from", "date_to", "status", "parent"]
