"""Filters of the organisations list, one definition for the page and the API (django-filter)."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import search_key

from .models import Organisation, Territory

FLAGS = [
    ("low_results", _("low educational results")),
    ("difficult_conditions", _("difficult social conditions")),
    ("high_results", _("stable high results")),
]


class OrganisationFilter(filters.FilterSet):
    """What the organisations page offers; the API's filterset adds the flags one by one."""

    q = filters.CharFilter(label=_("Search"), method="search", widget=forms.TextInput(
        attrs={"type": "search"}))  # fmt: skip
    kind = filters.ChoiceFilter(label=_("kind"), choices=Organisation.Kind.choices,
                                empty_label=_("Any kind"))  # fmt: skip
    territory = filters.ModelChoiceFilter(
        label=_("territory"), queryset=Territory.objects.all(), method="in_territory",
        empty_label=_("Any territory"),
    )  # fmt: skip
    flag = filters.ChoiceFilter(label=_("Support programme"), choices=FLAGS, method="flagged",
                                empty_label=_("Any"))  # fmt: skip

    class Meta:
        model = Organisation
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(search_text__contains=search_key(value))

    def in_territory(self, queryset, name, territory):
        return queryset.filter(territory__path__startswith=territory.path)

    def flagged(self, queryset, name, value):
        return queryset.filter(**{value: True})


class OrganisationApiFilter(OrganisationFilter):
    # The API has always taken a territory's id and answered an unknown one with no rows.
    territory = filters.NumberFilter(method="in_territory_id")

    class Meta:
        model = Organisation
        fields = ["kind", "low_results", "difficult_conditions", "high_results", "is_active"]

    def in_territory_id(self, queryset, name, value):
        territory = Territory.objects.filter(pk=value).first()
        if territory is None:
            return queryset.none()
        return self.in_territory(queryset, name, territory)
