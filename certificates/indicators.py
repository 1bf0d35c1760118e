"""A figure a plan's target can be computed from: the certificates the community's members
earned (registered with planning.indicators in CertificatesConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planning import indicators
from planning.indicators import Measure, Source


def _members_certified(plan) -> Measure | None:
    return indicators.members_with(plan, "certificates", _("earned a certificate this school year"))


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
