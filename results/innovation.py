"""Classes doing innovative work (002 §3.3, launch plan #8): marking them, and their pupils'
knowledge quality and pass rate against the school's other classes, period by period.

Who counts as "the same pupils" a period earlier: within a school year, the same class; for the
first period of a year (whose previous period is the year before's last), the class one grade
lower with the same letter — 7А this year was 6А last year. A mark with a subject covers only
that subject's rows of the class; a blank subject covers every subject.

The comparison stays inside the schools that marked classes: an innovative class is held
against the classes of its own school (the same grades, and all of them), not against schools
doing no innovative work. Each table costs the same three queries however many rows lie behind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .indicators import INDICATORS, assessed
from .models import YEARS, AssessmentPeriod, InnovativeClass, ResultRow
from .permissions import can_mark_innovative_classes
from .selectors import previous_of

COUNT_FIELDS = ResultRow.COUNT_FIELDS
INNOVATION_MAX = InnovativeClass._meta.get_field("innovation").max_length


# Groups of rows, in the order shown.
INNOVATIVE = "innovative"
SAME_GRADES = "same_grades"
OTHERS = "others"
GROUPS = {
    INNOVATIVE: gettext_lazy("Innovative classes"),
    SAME_GRADES: gettext_lazy("Other classes of the same grades"),
    OTHERS: gettext_lazy("All other classes"),
}


# --- Marking (an action) ---------------------------------------------------------------------


class MarkError(ValueError):
    """Bad input for marking, with the field (and the class) it concerns."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Mark:
    grade: int
    letter: str
    innovation: str
    community_id: int | None = None
    subject: str = ""


def communities_for(organisation) -> QuerySet:
    """The communities that may run a school's innovative work: those it hosts and those of
    the networks it belongs to."""
    from communities.models import Community

    return (
        Community.objects.filter(
            Q(organisation=organisation) | Q(network__memberships__organisation=organisation)
        )
        .distinct()
        .order_by("name")
    )


def _check(mark: Mark, allowed_communities: set[int]) -> Mark:
    name = f"{mark.grade}{mark.letter}"
    if not isinstance(mark.grade, int) or not 1 <= mark.grade <= 12:
        raise MarkError("grade", _("The grade must be from 1 to 12."))
    letter, subject = mark.letter.strip(), mark.subject.strip()
    innovation = " ".join(mark.innovation.split())
    if len(letter) > 10:
        raise MarkError("letter", _("%(name)s: the class letter is too long.") % {"name": name})
    if len(subject) > 200:
        raise MarkError("subject", _("%(name)s: the subject is too long.") % {"name": name})
    if not innovation:
        raise MarkError(
            "innovation",
            _("%(name)s: say what innovative work the class does.") % {"name": name},
        )
    if len(innovation) > INNOVATION_MAX:
        raise MarkError(
            "innovation",
            _("%(name)s: the description of the work is longer than %(n)s characters.")
            % {"name": name, "n": INNOVATION_MAX},
        )
    if mark.community_id is not None and mark.community_id not in allowed_communities:
        raise MarkError(
            "community",
            _("%(name)s: the community is neither the school's nor one of its networks'.")
            % {"name": name},
        )
    return Mark(mark.grade, letter, innovation, mark.community_id, subject)


def _check_year(school_year: int) -> None:
    try:
        for validator in YEARS:
            validator(school_year)
    except (ValidationError, TypeError) as exc:
        raise MarkError("school_year", _("The school year must be from 2000 to 2100.")) from exc


def mark_classes(
    *,
    actor,
    organisation,
    school_year: int,
    marks: Iterable[Mark],
    unmark: Iterable[tuple[int, str]] = (),
) -> list[InnovativeClass]:
    """Mark classes as doing innovative work (or update what their work is) and take the mark
    off the whole-class marks of `unmark` (grade, letter), all in one transaction. Marking the
    same class again updates it, so a repeated submit leaves one record. Marks of classes not
    named, and marks for a single subject, are left as they are."""
    if not can_mark_innovative_classes(actor, organisation):
        raise PermissionDenied
    _check_year(school_year)
    marks = list(marks)
    allowed = set()
    if any(m.community_id is not None for m in marks):
        allowed = set(communities_for(organisation).values_list("pk", flat=True))
    checked = [_check(m, allowed) for m in marks]
    keys = [(m.grade, m.letter, m.subject) for m in checked]
    if len(set(keys)) != len(keys):
        raise MarkError("grade", _("A class is named twice."))
    marked = {(m.grade, m.letter) for m in checked if not m.subject}
    removed = [(g, letter.strip()) for g, letter in unmark if (g, letter.strip()) not in marked]
    objects = [
        InnovativeClass(
            organisation=organisation,
            school_year=school_year,
            grade=m.grade,
            letter=m.letter,
            subject=m.subject,
            innovation=m.innovation,
            community_id=m.community_id,
            created_by=actor,
        )
        for m in checked
    ]
    with transaction.atomic():
        if removed:
            which = Q()
            for grade, letter in removed:
                which |= Q(grade=grade, letter=letter)
            InnovativeClass.objects.filter(
                which, organisation=organisation, school_year=school_year, subject=""
            ).delete()
        if objects:
            # An upsert on the unique key: two submits racing each other still make one record.
            InnovativeClass.objects.bulk_create(
                objects,
                update_conflicts=True,
                unique_fields=["organisation", "school_year", "grade", "letter", "subject"],
                update_fields=["innovation", "community", "updated_at"],
            )
    return list(InnovativeClass.objects.filter(organisation=organisation, school_year=school_year))


def unmark_class(*, actor, record: InnovativeClass) -> None:
    if not can_mark_innovative_classes(actor, record.organisation):
        raise PermissionDenied
    with transaction.atomic():
        InnovativeClass.objects.filter(pk=record.pk).delete()


# --- Reading (selectors) ---------------------------------------------------------------------


def classes_of_year(organisation, school_year: int) -> list[tuple[int, str]]:
    """The school's classes seen in its rows for the year, and those marked without rows yet."""
    seen = set(
        ResultRow.objects.filter(organisation=organisation, school_year=school_year)
        .order_by()
        .values_list("grade", "letter")
        .distinct()
    )
    seen |= set(
        InnovativeClass.objects.filter(
            organisation=organisation, school_year=school_year
        ).values_list("grade", "letter")
    )
    return sorted(seen)


def marked_classes(condition: Q, school_year: int) -> QuerySet[InnovativeClass]:
    """The year's marks within a scope (its condition on ResultRow reads the same fields)."""
    return (
        InnovativeClass.objects.filter(condition, school_year=school_year)
        .select_related("organisation", "community")
        .order_by("organisation__name", "grade", "letter", "subject", "pk")
    )


def rows_with_groups(condition: Q, school_year: int, marks: QuerySet | None = None) -> QuerySet:
    """Rows of the scope's marking schools for the year and the year before, each annotated
    with whether it is an innovative class's and whether its grade has one."""
    if marks is None:
        marks = InnovativeClass.objects.filter(condition, school_year=school_year)
    # A row of the year before belongs to the pupils now one grade up.
    cohort_grade = OuterRef("grade") + Value(school_year) - OuterRef("school_year")
    in_grade = marks.filter(organisation=OuterRef("organisation"), grade=cohort_grade)
    in_class = in_grade.filter(letter=OuterRef("letter")).filter(
        Q(subject="") | Q(subject=OuterRef("subject"))
    )
    return ResultRow.objects.filter(
        condition,
        school_year__in=[school_year - 1, school_year],
        organisation_id__in=marks.values("organisation_id"),
    ).annotate(innovative=Exists(in_class), same_grade=Exists(in_grade))


def _groups_of(innovative: bool, same_grade: bool) -> list[str]:
    if innovative:
        return [INNOVATIVE]
    return [SAME_GRADES, OTHERS] if same_grade else [OTHERS]


@dataclass
class Figure:
    group: str
    counts: dict[str, int]
    values: dict[str, Decimal | None] = field(default_factory=dict)
    previous: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def label(self):
        return GROUPS[self.group]

    @property
    def assessed(self) -> int:
        return assessed(self.counts)

    def change(self, code: str) -> Decimal | None:
        value, before = self.values.get(code), self.previous.get(code)
        return None if value is None or before is None else value - before

    @property
    def figures(self) -> list[dict]:
        return [
            {
                "indicator": indicator,
                "value": self.values.get(code),
                "numerator": indicator.numerator(self.counts),
                "previous": self.previous.get(code),
                "change": self.change(code),
            }
            for code, indicator in INDICATORS.items()
        ]


@dataclass
class PeriodComparison:
    period: AssessmentPeriod
    groups: list[Figure]

    def group(self, code: str) -> Figure | None:
        return next((g for g in self.groups if g.group == code), None)

    def gap(self, code: str = "quality") -> Decimal | None:
        """Innovative classes' figure minus that of all the other classes."""
        mine, others = self.group(INNOVATIVE), self.group(OTHERS)
        if mine is None or others is None:
            return None
        a, b = mine.values.get(code), others.values.get(code)
        return None if a is None or b is None else a - b


@dataclass
class Comparison:
    school_year: int
    periods: list[PeriodComparison]


def _evaluate(counts: dict[str, int]) -> dict[str, Decimal | None]:
    return {code: indicator.value(counts) for code, indicator in INDICATORS.items()}


def innovation_comparison(condition: Q, school_year: int, country_code: str) -> Comparison:
    """Per period of the year: the innovative classes' quality and pass rate, those of the other
    classes of the same grades and of all other classes, each with its change from the previous
    period (the same pupils). Two queries whatever the data."""
    periods = list(AssessmentPeriod.objects.filter(country_code=country_code))
    by_kind: dict[str, list[AssessmentPeriod]] = defaultdict(list)
    for p in sorted(periods, key=lambda p: p.number):
        by_kind[p.kind].append(p)
    sums = (
        rows_with_groups(condition, school_year)
        .order_by()
        .values_list("school_year", "period_id", "innovative", "same_grade")
        .annotate(*[Sum(f) for f in COUNT_FIELDS])
    )
    counts: dict[tuple[int, int, str], dict[str, int]] = {}
    for year, period_id, innovative, same_grade, *values in sums:
        for group in _groups_of(bool(innovative), bool(same_grade)):
            bucket = counts.setdefault((year, period_id, group), dict.fromkeys(COUNT_FIELDS, 0))
            for name, value in zip(COUNT_FIELDS, values, strict=True):
                bucket[name] += value or 0
    result = []
    for period in periods:
        if (school_year, period.pk, INNOVATIVE) not in counts:
            continue
        before = previous_of(period, school_year, by_kind)
        figures = []
        for group in GROUPS:
            bucket = counts.get((school_year, period.pk, group))
            if bucket is None:
                continue
            figure = Figure(group, bucket, _evaluate(bucket))
            if before and (before[0], before[1], group) in counts:
                figure.previous = _evaluate(counts[(before[0], before[1], group)])
            figures.append(figure)
        result.append(PeriodComparison(period, figures))
    return Comparison(school_year=school_year, periods=result)


def innovation_rows(
    condition: Q, *, school_year: int, period: AssessmentPeriod | None, group: str
) -> QuerySet[ResultRow]:
    """The class rows behind one group's figure of a period (for a paginated list)."""
    rows = rows_with_groups(condition, school_year).filter(school_year=school_year)
    if period is not None:
        rows = rows.filter(period=period)
    if group == INNOVATIVE:
        rows = rows.filter(innovative=True)
    elif group == SAME_GRADES:
        rows = rows.filter(innovative=False, same_grade=True)
    else:
        rows = rows.filter(innovative=False)
    return rows.select_related("organisation", "period", "teacher").order_by(
        "organisation__name", "period__position", "grade", "letter", "subject", "pk"
    )
