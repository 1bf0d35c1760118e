"""Figures a plan's target can be computed from, out of the community's meetings and decisions
(registered with planning.indicators in MeetingsConfig.ready)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planning import indicators
from planning.indicators import Measure, Source

from .models import Decision, Minutes


def _meetings_held(plan) -> Measure | None:
    signed = Minutes.objects.filter(
        community_id=plan.community_id, school_year=plan.school_year, signed_at__isnull=False
    ).count()
    return Measure(
        value=indicators.Decimal(signed),
        detail=_("%(n)s meetings with signed minutes") % {"n": signed},
        url=reverse("meetings:list", args=[plan.community_id]),
    )


def _decisions_done(plan) -> Measure | None:
    start, end = indicators.year_bounds(plan.school_year)
    counts = Decision.objects.filter(
        community_id=plan.community_id, meeting__starts_at__date__range=(start, end)
    ).aggregate(total=Count("pk"), done=Count("pk", filter=Q(status=Decision.Status.DONE)))
    if not counts["total"]:
        return None
    return Measure(
        value=indicators.share(counts["done"], counts["total"]),
        detail=_("%(done)s of %(total)s decisions done") % counts,
        url=reverse("meetings:community_decisions", args=[plan.community_id]),
    )


def connect() -> None:
    indicators.register(
        Source(
            "meetings_held",
            gettext_lazy("Meetings held (signed minutes)"),
            gettext_lazy("meetings"),
            gettext_lazy("meetings of the school year whose minutes are signed"),
            _meetings_held,
        )
    )
    indicators.register(
        Source(
            "decisions_done",
            gettext_lazy("Decisions carried out"),
            indicators.PERCENT,
            gettext_lazy("decisions done ÷ decisions taken at the school year's meetings × 100"),
            _decisions_done,
        )
    )
