"""Per-person measures a teacher's rating can be built from (004 doc. 17).

The school sets the rating's criteria and weights as data (rating.Criterion); each criterion
names one of the measures registered here. A measure counts one person's records of a school
year: people registers those over the databank, and the apps above register theirs in their
`ready()` (events, certificates, lesson study, mentoring, pupils' results), so people never
imports them — the same idea as planning.indicators, per person instead of per community.

`compute(person_ids, school_year)` is bulk: it answers for all the people at once in a constant
number of queries, with each person's value and the page listing the records it came from.
People without records get 0 (or are left out; the rating reads them as 0).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from core.schoolyear import year_bounds

__all__ = ["Decimal", "Measure", "Values", "counted", "portfolio_url", "register", "year_bounds"]

Values = dict[int, tuple[Decimal, str]]  # person id -> (value, url of the records)


@dataclass(frozen=True)
class Measure:
    code: str
    label: str | Promise
    unit: str | Promise
    description: str | Promise  # how it is counted, shown with the rating's formula
    compute: Callable[[list[int], int], Values]


_MEASURES: dict[str, Measure] = {}


def register(measure: Measure) -> None:
    """Add a measure (apps call this from `ready()`; registering a code again replaces it)."""
    _MEASURES[measure.code] = measure


def get(code: str) -> Measure | None:
    return _MEASURES.get(code)


def all_measures() -> list[Measure]:
    return sorted(_MEASURES.values(), key=lambda m: str(m.label))


def choices() -> list[tuple[str, str]]:
    return [(m.code, str(m.label)) for m in all_measures()]


def portfolio_url(person_id: int) -> str:
    """The teacher's portfolio: the databank and the sections the apps above add to it."""
    return reverse("people:portfolio", args=[person_id])


def counted(
    person_ids: Iterable[int], rows: Iterable[tuple[int, int]], url: Callable[[int], str]
) -> Values:
    """Each person's count out of (person id, count) rows; 0 for those without rows."""
    counts = dict(rows)
    return {pk: (Decimal(counts.get(pk, 0)), url(pk)) for pk in person_ids}


# -- people's own measures: the databank --------------------------------------------------------


def _courses(person_ids: list[int], school_year: int) -> Values:
    from .models import Course

    start, end = year_bounds(school_year)
    rows = (
        Course.objects.filter(profile__person_id__in=person_ids, completed_on__range=(start, end))
        .order_by()
        .values_list("profile__person_id")
        .annotate(n=Count("pk"))
    )
    return counted(person_ids, rows, portfolio_url)


def _category(person_ids: list[int], school_year: int) -> Values:
    from .models import TeacherProfile

    held = set(
        TeacherProfile.objects.filter(
            person_id__in=person_ids, qualification_category__isnull=False
        ).values_list("person_id", flat=True)
    )
    return counted(person_ids, ((pk, 1) for pk in held), portfolio_url)


def connect() -> None:
    register(
        Measure(
            "courses_completed",
            gettext_lazy("Courses completed"),
            gettext_lazy("courses"),
            gettext_lazy("courses in the databank completed in the school year"),
            _courses,
        )
    )
    register(
        Measure(
            "qualification_category",
            gettext_lazy("Qualification category held"),
            gettext_lazy("yes = 1"),
            gettext_lazy("1 if the databank records a qualification category, else 0"),
            _category,
        )
    )
