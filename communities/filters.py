"""Filters of the communities list, one definition for the page and the API (django-filter)."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import search_key

from . import selectors
from .models import Community


def _kind_codes() -> list[tuple[str, str]]:
    return [(k.code, str(k)) for k in selectors.kind_choices()]


class CommunityFilter(filters.FilterSet):
    """What the communities page offers; the API's filterset adds the hosts and visibility."""

    q = filters.CharFilter(label=_("Search"), method="search", widget=forms.TextInput(
        attrs={"type": "search"}))  # fmt: skip
    kind = filters.ChoiceFilter(label=_("kind"), field_name="kind__code", choices=_kind_codes,
                                empty_label=_("Any kind"))  # fmt: skip
    status = filters.ChoiceFilter(label=_("status"), choices=Community.Status.choices,
                                  empty_label=_("Any status"))  # fmt: skip
    mine = filters.BooleanFilter(label=_("Only mine"), method="only_mine",
                                 widget=forms.CheckboxInput)  # fmt: skip
    breaking = filters.BooleanFilter(label=_("Breaking their rules"), method="only_breaking",
                                     widget=forms.CheckboxInput)  # fmt: skip

    class Meta:
        model = Community
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(search_text__contains=search_key(value))

    def only_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or not (user and user.is_authenticated):
            return queryset
        return queryset.filter(memberships__person=user)

    def only_breaking(self, queryset, name, value):
        return queryset.filter(selectors.may_break_rules_q()) if value else queryset


class CommunityApiFilter(CommunityFilter):
    # A code, as the API has always taken it: an unknown code finds nothing rather than failing.
    kind = filters.CharFilter(field_name="kind__code")

    class Meta:
        model = Community
        fields = ["kind", "status", "organisation", "network", "territory", "visibility"]
