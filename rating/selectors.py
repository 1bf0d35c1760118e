"""Reading the rating: a school's scheme and the rows it gives its teachers or a community's
members, computed from the records in a constant number of queries (one or two per criterion)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet

from communities.models import Community, Membership
from organisations.models import Organisation
from people import measures
from people.models import Person, Position

from .models import Criterion, RatingScheme

TWO_PLACES = Decimal("0.01")


def scheme_for(organisation: Organisation, school_year: int) -> RatingScheme | None:
    return (
        RatingScheme.objects.filter(organisation=organisation, school_year=school_year)
        .select_related("organisation", "updated_by")
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk")))
        .first()
    )


def previous_scheme(organisation: Organisation, school_year: int) -> RatingScheme | None:
    """The latest scheme of the school before `school_year` (to copy from)."""
    return (
        RatingScheme.objects.filter(organisation=organisation, school_year__lt=school_year)
        .order_by("-school_year")
        .first()
    )


def _people(qs: QuerySet[Person]) -> QuerySet[Person]:
    return qs.filter(is_active=True).distinct().order_by("last_name", "first_name", "pk")


def teachers_of(organisation: Organisation) -> QuerySet[Person]:
    """The school's staff: everyone holding a position there."""
    staff = Position.objects.filter(organisation=organisation).values("person_id")
    return _people(Person.objects.filter(pk__in=staff))


def members_of(community: Community) -> QuerySet[Person]:
    members = Membership.objects.filter(community=community).values("person_id")
    return _people(Person.objects.filter(pk__in=members))


def school_of(person: Person) -> Organisation | None:
    """The school whose scheme rates the person: their main place of work."""
    position = (
        Position.objects.filter(person=person)
        .select_related("organisation")
        .order_by("-is_main", "pk")
        .first()
    )
    return position.organisation if position else None


def community_school(community: Community) -> Organisation | None:
    """A community is rated by its host school's scheme (none for a network's or a region's)."""
    return community.organisation


@dataclass(frozen=True)
class Column:
    criterion: Criterion
    label: str
    unit: str
    description: str
    known: bool  # False when no app registers the measure any more (it counts 0)


@dataclass(frozen=True)
class Cell:
    measure: str
    value: Decimal
    counted: Decimal  # the value after the cap
    points: Decimal
    url: str


@dataclass
class Row:
    person: Person
    cells: list[Cell]
    total: Decimal
    rank: int = 0


@dataclass
class Rating:
    scheme: RatingScheme
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)


def columns(scheme: RatingScheme) -> list[Column]:
    out = []
    for criterion in scheme.criteria.all():
        measure = measures.get(criterion.measure)
        out.append(
            Column(
                criterion=criterion,
                label=str(measure.label) if measure else criterion.measure,
                unit=str(measure.unit) if measure else "",
                description=str(measure.description) if measure else "",
                known=measure is not None,
            )
        )
    return out


def points(value: Decimal, criterion: Criterion) -> tuple[Decimal, Decimal]:
    counted = value if criterion.cap is None else min(value, criterion.cap)
    return counted, (counted * criterion.weight).quantize(TWO_PLACES, ROUND_HALF_UP)


def rating(scheme: RatingScheme, people: QuerySet[Person] | list[Person]) -> Rating:
    """Every person's row, ranked by total points (equal totals share a rank: 1, 1, 3)."""
    people = list(people)
    ids = [p.pk for p in people]
    cols = columns(scheme)
    values: list[measures.Values] = []
    for column in cols:
        measure = measures.get(column.criterion.measure)
        values.append(measure.compute(ids, scheme.school_year) if (measure and ids) else {})
    rows = []
    for person in people:
        cells = []
        for column, found in zip(cols, values, strict=True):
            value, url = found.get(person.pk, (Decimal(0), ""))
            counted, got = points(value, column.criterion)
            cells.append(
                Cell(
                    measure=column.criterion.measure,
                    value=value,
                    counted=counted,
                    points=got,
                    url=url,
                )
            )
        rows.append(
            Row(person=person, cells=cells, total=sum((c.points for c in cells), Decimal(0)))
        )
    rows.sort(key=lambda r: -r.total)  # stable: equal totals stay in name order
    for n, row in enumerate(rows, start=1):
        row.rank = rows[n - 2].rank if n > 1 and rows[n - 2].total == row.total else n
    return Rating(scheme=scheme, columns=cols, rows=rows)


def person_rating(scheme: RatingScheme, person: Person) -> tuple[Rating, Row | None]:
    """The person's own row, ranked among the school's teachers (the rank alone says where)."""
    full = rating(scheme, teachers_of(scheme.organisation))
    own = next((r for r in full.rows if r.person.pk == person.pk), None)
    if own is None:  # not on the school's staff any more: rated alone
        own = rating(scheme, [person]).rows[0]
        own.rank = 0
    return Rating(scheme=scheme, columns=full.columns, rows=[own]), own
