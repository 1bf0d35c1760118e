"""The summary table: a school's sums per year, period and subject, rewritten from its rows,
and with them the rollups of its territory and every ancestor (results.rollups)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Sum

from .models import ResultRow, ResultSummary
from .rollups import rebuild_for_school


def rebuild_summaries(organisation_id: int, school_year: int, period_ids: Iterable[int]) -> None:
    """Recompute the summaries of one school's periods (called inside the import's transaction)."""
    period_ids = list(period_ids)
    ResultSummary.objects.filter(
        organisation_id=organisation_id, school_year=school_year, period_id__in=period_ids
    ).delete()
    sums = (
        ResultRow.objects.filter(
            organisation_id=organisation_id, school_year=school_year, period_id__in=period_ids
        )
        .order_by()
        .values("period_id", "subject")
        .annotate(rows=Count("pk"), **{f: Sum(f) for f in ResultRow.COUNT_FIELDS})
    )
    ResultSummary.objects.bulk_create(
        [
            ResultSummary(organisation_id=organisation_id, school_year=school_year, **values)
            for values in sums
        ],
        batch_size=1000,
    )
    rebuild_for_school(organisation_id, school_year, period_ids)
