"""Exams and control works: their figures, each defined once (name, formula as shown, value),
and the reads behind the pages and the API. A table costs the same few queries however many
class rows lie behind it: the sums are made in the database, the formulas applied here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from .models import BANDS, AssessmentKind, ExamResult

Sums = Mapping[str, int]
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class ExamFigure:
    code: str
    name: Promise
    formula: Promise
    value: Callable[[Sums], Decimal | None]


def _ratio(numerator: int, denominator: int, times: int = 1) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * times / denominator).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


AVERAGE_SCORE = ExamFigure(
    "average_score",
    gettext_lazy("Average score"),
    gettext_lazy("sum of the pupils' scores ÷ pupils who sat"),
    lambda s: _ratio(s.get("score_sum") or 0, s.get("sat") or 0),
)
PASSED_SHARE = ExamFigure(
    "passed_share",
    gettext_lazy("Passed, %"),
    gettext_lazy(
        "pupils who passed ÷ pupils judged × 100; a pupil passes with a score not below the "
        "kind's passing score or, where the kind has none, with the mark “3” or better; pupils "
        "without a mark are then not judged"
    ),
    lambda s: _ratio(s.get("passed") or 0, s.get("judged") or 0, 100),
)
EXAM_FIGURES = {f.code: f for f in (AVERAGE_SCORE, PASSED_SHARE)}

MARK_LABELS = ("«5»", "«4»", "«3»", "«2»")


@dataclass
class Bar:
    label: str
    count: int
    share: int  # whole per cent of the pupils who sat, for the bar's width


@dataclass
class ExamLine:
    """One kind and subject (or all subjects of the kind, subject "") over the school year."""

    kind: AssessmentKind
    subject: str
    sums: dict[str, int]

    @property
    def sat(self) -> int:
        return self.sums["sat"]

    @property
    def values(self) -> dict[str, Decimal | None]:
        values = {code: figure.value(self.sums) for code, figure in EXAM_FIGURES.items()}
        if not self.subject and not self.kind.max_score:
            # Scores out of different maxima (ВПР, ОГЭ by subject) make no average together.
            values[AVERAGE_SCORE.code] = None
        return values

    @property
    def figures(self) -> list[dict]:
        values = self.values
        return [{"figure": f, "value": values[code]} for code, f in EXAM_FIGURES.items()]

    def _bars(self, fields, labels) -> list[Bar]:
        total = sum(self.sums[f] for f in fields)
        return [
            Bar(label, self.sums[f], round(self.sums[f] * 100 / total) if total else 0)
            for f, label in zip(fields, labels, strict=True)
        ]

    @property
    def marks(self) -> list[Bar]:
        """The marks given, or none when the file gave none."""
        if not any(self.sums[f] for f in ExamResult.MARK_FIELDS):
            return []
        return self._bars(ExamResult.MARK_FIELDS, MARK_LABELS)

    @property
    def bands(self) -> list[Bar]:
        """Scores by fifths of the maximum, where the kind has a maximum."""
        top = self.kind.max_score
        if not top or not any(self.sums[f] for f in ExamResult.BAND_FIELDS):
            return []
        edges = band_edges(top)
        labels = [
            f"{edges[n]}–{edges[n + 1] - 1}" if n < BANDS - 1 else f"{edges[n]}–{top}"
            for n in range(BANDS)
        ]
        return self._bars(ExamResult.BAND_FIELDS, labels)


def band_edges(top: int) -> list[int]:
    """The lowest score of each fifth of the maximum, and the maximum."""
    return [top * n // BANDS for n in range(BANDS)] + [top]


def band_of(score: int, top: int) -> int:
    """The fifth (1 to BANDS) a score falls in; the maximum itself is in the top one."""
    return sum(score >= edge for edge in band_edges(top)[1:BANDS]) + 1


# Scopes: a filter over ExamResult (the same fields as the results' scopes).
def school_condition(organisation) -> Q:
    return Q(organisation=organisation)


def network_condition(network) -> Q:
    return Q(organisation__network_memberships__network=network)


def territory_condition(territory) -> Q:
    return Q(organisation__territory__path__startswith=territory.path)


def kinds_for(country_code: str) -> list[AssessmentKind]:
    return list(AssessmentKind.objects.filter(country_code=country_code))


def exam_lines(
    condition: Q, school_year: int, kinds: list[AssessmentKind], kind: AssessmentKind | None = None
) -> list[ExamLine]:
    """Sums per kind and subject of a school year (one query), each kind's lines led by the
    line of all its subjects; kinds in their order."""
    by_id = {k.pk: k for k in kinds}
    qs = ExamResult.objects.filter(condition, school_year=school_year, kind_id__in=list(by_id))
    if kind is not None:
        qs = qs.filter(kind=kind)
    sums = (
        qs.order_by()
        .values_list("kind_id", "subject")
        .annotate(*[Sum(f) for f in ExamResult.SUM_FIELDS])
    )
    lines: dict[tuple[int, str], ExamLine] = {}
    for kind_id, subject, *values in sums:
        for key in ((kind_id, ""), (kind_id, subject)):
            line = lines.setdefault(
                key, ExamLine(by_id[kind_id], key[1], dict.fromkeys(ExamResult.SUM_FIELDS, 0))
            )
            for name, value in zip(ExamResult.SUM_FIELDS, values, strict=True):
                line.sums[name] += value or 0
    order = {k.pk: n for n, k in enumerate(kinds)}
    return sorted(lines.values(), key=lambda ln: (order[ln.kind.pk], ln.subject != "", ln.subject))


def exam_rows(
    condition: Q,
    *,
    school_year: int,
    kind: AssessmentKind | None = None,
    subject: str = "",
) -> QuerySet[ExamResult]:
    """The class rows a figure was computed from, for a paginated list."""
    qs = ExamResult.objects.filter(condition, school_year=school_year)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if subject:
        qs = qs.filter(subject=subject)
    return qs.select_related("organisation", "kind", "teacher").order_by(
        "organisation__name", "kind__position", "held_on", "grade", "letter", "subject", "pk"
    )


def figure_values(row: ExamResult) -> dict[str, Decimal | None]:
    sums = {f: getattr(row, f) for f in ExamResult.SUM_FIELDS}
    return {code: figure.value(sums) for code, figure in EXAM_FIGURES.items()}
