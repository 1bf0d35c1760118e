"""A per-person measure for the teachers' rating: the knowledge quality of the teacher's classes
(registered with people.measures in ResultsConfig.ready).

The school year's figure when the year's results are in, else the latest period's of the year,
over all the teacher's class rows (results.selectors.teacher_scope).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Min, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy

from people import measures
from people.measures import Decimal, Measure, Values

from .indicators import QUALITY
from .models import AssessmentPeriod, ResultRow


def _quality(person_ids: list[int], school_year: int) -> Values:
    rows = list(
        ResultRow.objects.filter(teacher_id__in=person_ids, school_year=school_year)
        .order_by()
        .values_list("teacher_id", "period_id")
        .annotate(Min("organisation_id"), *[Sum(f) for f in ResultRow.COUNT_FIELDS])
    )
    periods = {p.pk: p for p in AssessmentPeriod.objects.filter(pk__in={row[1] for row in rows})}
    chosen: dict[int, tuple] = {}
    for row in rows:
        period = periods[row[1]]
        rank = (period.kind == AssessmentPeriod.Kind.YEAR, period.position)
        if row[0] not in chosen or rank > chosen[row[0]][0]:
            chosen[row[0]] = (rank, row)
    values: Values = {}
    for pk in person_ids:
        if pk not in chosen:
            values[pk] = (Decimal(0), measures.portfolio_url(pk))
            continue
        row = chosen[pk][1]
        counts = dict(zip(ResultRow.COUNT_FIELDS, [v or 0 for v in row[3:]], strict=True))
        query = urlencode({"year": school_year, "period": periods[row[1]].code})
        url = f"{reverse('results:school-rows', args=[row[2]])}?{query}"
        values[pk] = (QUALITY.value(counts) or Decimal(0), url)
    return values


def connect() -> None:
    measures.register(
        Measure(
            "results_quality",
            gettext_lazy("Knowledge quality of the teacher's classes"),
            "%",
            gettext_lazy(
                "pupils with «4» and «5» ÷ pupils assessed × 100 over the teacher's classes: "
                "the year's figure, else the latest period's"
            ),
            _quality,
        )
    )
