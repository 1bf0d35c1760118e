"""A per-person measure for the teachers' rating: certificates of the school year (registered
with people.measures in CertificatesConfig.ready)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy

from people import measures
from people.measures import Measure, Values

from .models import Certificate


def _certificates(person_ids: list[int], school_year: int) -> Values:
    start, end = measures.year_bounds(school_year)
    rows = (
        Certificate.objects.filter(
            holder_id__in=person_ids, revoked_at__isnull=True, event_date__range=(start, end)
        )
        .order_by()
        .values_list("holder_id")
        .annotate(n=Count("pk"))
    )
    return measures.counted(person_ids, rows, measures.portfolio_url)


def connect() -> None:
    measures.register(
        Measure(
            "certificates",
            gettext_lazy("Certificates earned"),
            gettext_lazy("certificates"),
            gettext_lazy("certificates (not revoked) of events of the school year"),
            _certificates,
        )
    )
