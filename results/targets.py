"""Plan targets computed from pupils' results: knowledge quality and pass rate of the plan's
community's members' classes (registered with planning.indicators in ResultsConfig.ready).

A target's options narrow it: `subjects` (a list; e.g. the subjects of a natural-science and
maths PLC) and `period` (a period code such as "year" or "q2"). Without a period the figure is
the year's if the year's results are in, else the latest period's of the school year, so it
fills itself as each term's results arrive.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planning import indicators as plan_indicators
from planning.indicators import Measure, Source

from .indicators import PASS_RATE, QUALITY, Indicator, assessed
from .innovation import INNOVATIVE, rows_with_groups
from .models import AssessmentPeriod, InnovativeClass, ResultRow
from .selectors import community_scope


def _compute(indicator: Indicator):
    def compute(plan, subjects=None, period=None) -> Measure | None:
        _source, condition = community_scope(plan.community)
        rows = ResultRow.objects.filter(condition, school_year=plan.school_year)
        if subjects:
            rows = rows.filter(subject__in=[str(s) for s in subjects][:50])
        if period:
            rows = rows.filter(period__code=str(period))
        sums = list(
            rows.order_by()
            .values_list("period_id")
            .annotate(*[Sum(f) for f in ResultRow.COUNT_FIELDS])
        )
        if not sums:
            return None
        periods = {
            p.pk: p for p in AssessmentPeriod.objects.filter(pk__in=[row[0] for row in sums])
        }
        # The year's figure when it is in, else the latest period's.
        chosen = max(
            sums,
            key=lambda row: (
                periods[row[0]].kind == AssessmentPeriod.Kind.YEAR,
                periods[row[0]].position,
            ),
        )
        counts = dict(zip(ResultRow.COUNT_FIELDS, [v or 0 for v in chosen[1:]], strict=True))
        value = indicator.value(counts)
        if value is None:
            return None
        chosen_period = periods[chosen[0]]
        query = {"year": plan.school_year, "period": chosen_period.code}
        if subjects and len(subjects) == 1:
            query["subject"] = subjects[0]
        return Measure(
            value=value,
            detail=_("%(period)s: %(n)s pupils assessed")
            % {"period": chosen_period.name, "n": assessed(counts)},
            url=reverse("results:community-rows", args=[plan.community_id])
            + "?"
            + urlencode(query),
        )

    return compute


def period_choices() -> list[tuple[str, str]]:
    """The periods a target may be narrowed to: one per code across the countries' calendars."""
    seen: dict[str, str] = {}
    for code, name in AssessmentPeriod.objects.order_by("position", "code").values_list(
        "code", "name"
    ):
        seen.setdefault(code, name)
    return list(seen.items())


def _compute_innovative(plan, subjects=None, period=None) -> Measure | None:
    """Knowledge quality of the classes doing innovative work on the plan's community's plan
    (marked with the community for the plan's year): the year's figure when it is in, else the
    latest period's."""
    marks = InnovativeClass.objects.filter(community=plan.community, school_year=plan.school_year)
    rows = rows_with_groups(Q(), plan.school_year, marks=marks).filter(
        school_year=plan.school_year, innovative=True
    )
    if subjects:
        rows = rows.filter(subject__in=[str(s) for s in subjects][:50])
    if period:
        rows = rows.filter(period__code=str(period))
    sums = list(
        rows.order_by()
        .values_list("period_id")
        .annotate(
            Count("organisation_id", distinct=True), *[Sum(f) for f in ResultRow.COUNT_FIELDS]
        )
    )
    if not sums:
        return None
    periods = {p.pk: p for p in AssessmentPeriod.objects.filter(pk__in=[row[0] for row in sums])}
    chosen = max(
        sums,
        key=lambda row: (
            periods[row[0]].kind == AssessmentPeriod.Kind.YEAR,
            periods[row[0]].position,
        ),
    )
    counts = dict(zip(ResultRow.COUNT_FIELDS, [v or 0 for v in chosen[2:]], strict=True))
    value = QUALITY.value(counts)
    if value is None:
        return None
    chosen_period = periods[chosen[0]]
    url = ""
    if chosen[1] == 1:  # one school's classes: its page lists the rows behind the figure
        organisation_id = marks.values_list("organisation_id", flat=True).first()
        query = {"year": plan.school_year, "period": chosen_period.code, "group": INNOVATIVE}
        url = (
            reverse("results:innovation-school-rows", args=[organisation_id])
            + "?"
            + urlencode(query)
        )
    return Measure(
        value=value,
        detail=_("%(period)s: %(n)s pupils assessed in classes doing innovative work")
        % {"period": chosen_period.name, "n": assessed(counts)},
        url=url,
    )


def connect() -> None:
    plan_indicators.register_option_choices("period", period_choices)
    for indicator in (QUALITY, PASS_RATE):
        plan_indicators.register(
            Source(
                f"results_{indicator.code}",
                indicator.name,
                plan_indicators.PERCENT,
                indicator.formula,
                _compute(indicator),
                options=("subjects", "period"),
            )
        )
    plan_indicators.register(
        Source(
            "results_innovative_quality",
            gettext_lazy("Knowledge quality of the classes doing innovative work, %"),
            plan_indicators.PERCENT,
            gettext_lazy(
                "(“5” + “4”) ÷ assessed × 100 over the classes marked as doing innovative work "
                "with the plan's community for the plan's year"
            ),
            _compute_innovative,
            options=("subjects", "period"),
        )
    )
