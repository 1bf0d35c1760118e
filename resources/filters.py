"""Filters of the resource bank, one definition for the page and the API."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from communities import permissions as community_permissions
from communities.models import Community

from .models import Resource, ResourceKind


def _kind_codes() -> list[tuple[str, str]]:
    return [(k.code, str(k)) for k in ResourceKind.objects.all()]


class ResourceFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(label=_("kind"), field_name="kind__code", choices=_kind_codes,
                                empty_label=_("Any kind"))  # fmt: skip
    subject = filters.CharFilter(label=_("subject"), field_name="subject", lookup_expr="icontains")
    grade = filters.NumberFilter(label=_("grade"), method="for_grade", min_value=0, max_value=12)
    community = filters.ModelChoiceFilter(
        label=_("community"), empty_label=_("Any community"),
        # Only the communities the reader may see are offered by name.
        queryset=lambda request: Community.objects.filter(
            community_permissions.visible_q(getattr(request, "user", None)),
            resources__status=Resource.Status.PUBLISHED,
        ).distinct().order_by("name"),
    )  # fmt: skip
    licence = filters.ChoiceFilter(label=_("licence"), choices=Resource.Licence.choices,
                                   empty_label=_("Any licence"))  # fmt: skip

    class Meta:
        model = Resource
        fields: list[str] = []

    def for_grade(self, queryset, name, value):
        if value is None:
            return queryset
        grade = int(value)
        # An open end of the range counts as covering the grade.
        return queryset.exclude(grade_from__gt=grade).exclude(grade_to__lt=grade)


class ResourceApiFilter(ResourceFilter):
    kind = filters.CharFilter(field_name="kind__code")
    community = filters.NumberFilter(field_name="community", help_text="A community's id.")
    status = filters.ChoiceFilter(choices=Resource.Status.choices)

    class Meta:
        model = Resource
        fields = ["kind", "subject", "grade", "community", "licence", "status"]
