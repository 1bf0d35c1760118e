"""A figure a plan's target can be computed from: the certificates the community's members
earned (registered with planning.indicators in CertificatesConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planning import indicators
from planning.indicators import Measure, Source

from .models import Certificate


def _members_certified(plan) -> Measure | None:
    start, end = indicators.year_bounds(plan.school_year)

    def counted(members: list[int]) -> int:
        return (
            Certificate.objects.filter(
                holder_id__in=members, revoked_at__isnull=True, event_date__range=(start, end)
            )
            .values("holder_id")
            .distinct()
            .count()
        )

    return indicators.members_share(plan, counted, _("earned a certificate this school year"))


def connect() -> None:
    indicators.register(
        Source(
            "members_certified",
            gettext_lazy("Members who earned certificates"),
            indicators.PERCENT,
            gettext_lazy(
                "members with a certificate of an event of the school year ÷ members × 100"
            ),
            _members_certified,
        )
    )
