"""Reads: indicator tables for any scope (class, teacher, school, community, network,
territory) and the rows behind a figure. Every table costs the same few queries however many
rows lie behind it: the counts are summed in the database, the formulas applied here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from organisations.models import Organisation

from .indicators import INDICATORS, assessed
from .models import AssessmentPeriod, ResultRow, ResultSummary, TerritorySummary

COUNT_FIELDS = ResultRow.COUNT_FIELDS
ALL_SUBJECTS = ""  # the key of the row summing every subject


# Scopes: a filter over ResultRow, and (where the sums per school suffice) over ResultSummary.
class Scope(tuple):
    """A scope (source, condition) whose sums over the whole scope per year, period and subject
    are also kept ready (``totals``): the reads that need only those sums take them from there,
    the per-school comparison and the rows behind a figure keep reading the scope itself."""

    totals: tuple[QuerySet, Q]

    def __new__(cls, source: QuerySet, condition: Q, *, totals: tuple[QuerySet, Q]) -> Scope:
        scope = super().__new__(cls, (source, condition))
        scope.totals = totals
        return scope


def totals_of(scope: tuple[QuerySet, Q]) -> tuple[QuerySet, Q]:
    """The scope's source for sums over all of it: its rollup where there is one."""
    return getattr(scope, "totals", scope)


def school_scope(organisation) -> tuple[QuerySet, Q]:
    return ResultSummary.objects.all(), Q(organisation=organisation)


def network_scope(network) -> tuple[QuerySet, Q]:
    """A network's schools: its partner and magnet schools and its lead school."""
    from organisations.models import NetworkMembership

    members = NetworkMembership.objects.filter(network=network).values("organisation_id")
    return ResultSummary.objects.all(), Q(organisation_id__in=members) | Q(
        organisation_id=network.lead_school_id
    )


def territory_scope(territory) -> tuple[QuerySet, Q]:
    """Every school under the territory; its sums come from the territory's own rollup rows."""
    return Scope(
        ResultSummary.objects.all(),
        Q(organisation__territory__path__startswith=territory.path),
        totals=(TerritorySummary.objects.all(), Q(territory=territory)),
    )


def class_scope(organisation, grade: int, letter: str) -> tuple[QuerySet, Q]:
    return ResultRow.objects.all(), Q(organisation=organisation, grade=grade, letter=letter)


def teacher_scope(person) -> tuple[QuerySet, Q]:
    return ResultRow.objects.all(), Q(teacher=person)


def community_scope(community) -> tuple[QuerySet, Q]:
    """A community's results are its current members' classes."""
    from communities.models import Membership

    members = Membership.objects.filter(community=community).values("person_id")
    return ResultRow.objects.all(), Q(teacher_id__in=members)


@dataclass
class Cell:
    counts: dict[str, int]
    values: dict[str, Decimal | None] = field(default_factory=dict)
    previous: dict[str, Decimal | None] = field(default_factory=dict)  # the previous period
    last_year: dict[str, Decimal | None] = field(default_factory=dict)  # same period, year before
    period_code: str = ""

    @property
    def assessed(self) -> int:
        return assessed(self.counts)

    @property
    def figures(self) -> list[dict]:
        """Each indicator's value with its changes, in the order of INDICATORS (for templates)."""
        return [
            {
                "indicator": indicator,
                "value": self.values.get(code),
                "numerator": indicator.numerator(self.counts),
                "previous": self.change(code, "previous"),
                "last_year": self.change(code, "last_year"),
            }
            for code, indicator in INDICATORS.items()
        ]

    def change(self, code: str, against: str) -> Decimal | None:
        other = (self.previous if against == "previous" else self.last_year).get(code)
        value = self.values.get(code)
        return None if value is None or other is None else value - other


@dataclass
class Table:
    school_year: int
    periods: list[AssessmentPeriod]
    subjects: list[str]  # ALL_SUBJECTS first
    cells: dict[tuple[str, int], Cell]  # (subject, period id)

    def cell(self, subject: str, period: AssessmentPeriod) -> Cell | None:
        return self.cells.get((subject, period.pk))

    @property
    def rows(self) -> list[tuple[str, list[Cell | None]]]:
        return [(s, [self.cell(s, p) for p in self.periods]) for s in self.subjects]


def previous_of(period: AssessmentPeriod, year: int, by_kind) -> tuple[int, int] | None:
    """(year, period id) of the period before: the one before it in the year, or the last of
    its kind the year before. A year's previous period is the year before."""
    same_kind = by_kind[period.kind]
    earlier = [p for p in same_kind if p.number < period.number]
    if earlier:
        return year, earlier[-1].pk
    return year - 1, same_kind[-1].pk


def _evaluate(counts: dict[str, int]) -> dict[str, Decimal | None]:
    return {code: indicator.value(counts) for code, indicator in INDICATORS.items()}


def indicator_table(scope: tuple[QuerySet, Q], school_year: int, country_code: str) -> Table:
    """Indicators by subject and period of a school year, with the change from the previous
    period and from the same period a year before. Three queries whatever the data."""
    source, condition = totals_of(scope)
    periods = list(AssessmentPeriod.objects.filter(country_code=country_code))
    by_id = {p.pk: p for p in periods}
    by_kind: dict[str, list[AssessmentPeriod]] = defaultdict(list)
    for p in sorted(periods, key=lambda p: p.number):
        by_kind[p.kind].append(p)
    sums = (
        source.filter(condition, school_year__in=[school_year - 1, school_year])
        .order_by()
        .values_list("school_year", "period_id", "subject")
        .annotate(*[Sum(f) for f in COUNT_FIELDS])
    )
    counts: dict[tuple[int, int, str], dict[str, int]] = {}
    for year, period_id, subject, *values in sums:
        for key in ((year, period_id, subject), (year, period_id, ALL_SUBJECTS)):
            bucket = counts.setdefault(key, dict.fromkeys(COUNT_FIELDS, 0))
            for name, value in zip(COUNT_FIELDS, values, strict=True):
                bucket[name] += value or 0
    cells: dict[tuple[str, int], Cell] = {}
    for (year, period_id, subject), bucket in counts.items():
        if year != school_year:
            continue
        period = by_id[period_id]
        cell = Cell(bucket, _evaluate(bucket), period_code=period.code)
        before = previous_of(period, year, by_kind)
        if before and (before[0], before[1], subject) in counts:
            cell.previous = _evaluate(counts[(before[0], before[1], subject)])
        if (year - 1, period_id, subject) in counts:
            cell.last_year = _evaluate(counts[(year - 1, period_id, subject)])
        cells[(subject, period_id)] = cell
    used = {period_id for _subject, period_id in cells}
    subjects = sorted({s for s, _p in cells} - {ALL_SUBJECTS})
    return Table(
        school_year=school_year,
        periods=[p for p in periods if p.pk in used],
        subjects=[ALL_SUBJECTS, *subjects] if subjects else [],
        cells=cells,
    )


def rows_behind(
    condition: Q,
    *,
    school_year: int,
    period: AssessmentPeriod | None = None,
    subject: str = "",
) -> QuerySet[ResultRow]:
    """The class rows a figure was computed from, for a paginated list."""
    qs = ResultRow.objects.filter(condition, school_year=school_year)
    if period is not None:
        qs = qs.filter(period=period)
    if subject:
        qs = qs.filter(subject=subject)
    return qs.select_related("organisation", "period", "teacher").order_by(
        "organisation__name", "period__position", "grade", "letter", "subject", "pk"
    )


def row_condition(scope: tuple[QuerySet, Q]) -> Q:
    """A scope's filter as it applies to ResultRow (summaries and rows share their fields)."""
    return scope[1]


def years_with_results(condition: Q) -> list[int]:
    return list(
        ResultRow.objects.filter(condition)
        .order_by("-school_year")
        .values_list("school_year", flat=True)
        .distinct()
    )


@dataclass
class SchoolFigure:
    """One school's counts for a period and subject (the organisation is filled in per page)."""

    organisation_id: int
    counts: dict[str, int]
    values: dict[str, Decimal | None]
    organisation: Organisation | None = None

    @property
    def assessed(self) -> int:
        return assessed(self.counts)


@dataclass
class BySchool:
    """Every school of a scope with results for one period and subject, best quality first;
    schools where nobody was assessed come last. The whole scope's figure is beside them."""

    schools: list[SchoolFigure]
    total: dict[str, Decimal | None]

    @property
    def best(self) -> SchoolFigure | None:
        rated = [s for s in self.schools if s.values["quality"] is not None]
        return rated[0] if rated else None

    @property
    def worst(self) -> SchoolFigure | None:
        rated = [s for s in self.schools if s.values["quality"] is not None]
        return rated[-1] if len(rated) > 1 else None


def result_subjects(scope: tuple[QuerySet, Q], school_year: int) -> list[str]:
    source, condition = totals_of(scope)
    return list(
        source.filter(condition, school_year=school_year)
        .order_by("subject")
        .values_list("subject", flat=True)
        .distinct()
    )


def result_periods(
    scope: tuple[QuerySet, Q], school_year: int, country_code: str
) -> list[AssessmentPeriod]:
    """The country's periods that have results in the scope's year, in their order."""
    source, condition = totals_of(scope)
    used = source.filter(condition, school_year=school_year).values("period_id")
    return list(AssessmentPeriod.objects.filter(country_code=country_code, pk__in=used))


def by_school(
    scope: tuple[QuerySet, Q], school_year: int, period: AssessmentPeriod, subject: str = ""
) -> BySchool:
    """Quality and pass rate per school: one grouped query however many schools; sorting needs
    every school's figure, so the page of organisations is read afterwards (attach_schools)."""
    source, condition = scope
    qs = source.filter(condition, school_year=school_year, period=period)
    if subject:
        qs = qs.filter(subject=subject)
    sums = qs.order_by().values_list("organisation_id").annotate(*[Sum(f) for f in COUNT_FIELDS])
    schools = []
    total = dict.fromkeys(COUNT_FIELDS, 0)
    for organisation_id, *values in sums:
        counts = {name: value or 0 for name, value in zip(COUNT_FIELDS, values, strict=True)}
        for name in COUNT_FIELDS:
            total[name] += counts[name]
        schools.append(SchoolFigure(organisation_id, counts, _evaluate(counts)))

    def order(figure: SchoolFigure):
        quality, pass_rate = figure.values["quality"], figure.values["pass_rate"]
        return (
            quality is None,
            -(quality or 0),
            -(pass_rate or 0),
            figure.organisation_id,
        )

    schools.sort(key=order)
    return BySchool(schools=schools, total=_evaluate(total))


def attach_schools(figures: list[SchoolFigure]) -> list[SchoolFigure]:
    """Fill in the organisations (with their territories, for the policy) of a page of figures:
    one query."""
    by_id = Organisation.objects.select_related("territory").in_bulk(
        [f.organisation_id for f in figures]
    )
    for figure in figures:
        figure.organisation = by_id.get(figure.organisation_id)
    return figures
