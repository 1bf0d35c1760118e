"""Indicators a plan's target can be computed from, instead of typing its actual value.

A source computes one figure for a plan: over the plan's community (its members now) and the
plan's school year. Sources live in the app that keeps the records: planning registers those over
its own rows and the databank below it, and the apps above register theirs in their `ready()`
(meetings, events, certificates, lesson study, pupils' results), so planning never imports them.

Each figure says how it was computed (the formula, shown next to it) and which records it came
from (a sentence and a link to the page listing them), so every figure can be traced.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.schoolyear import year_bounds
from people import measures

PERCENT = "%"
__all__ = [
    "Decimal",
    "Measure",
    "PERCENT",
    "Source",
    "register",
    "register_option_choices",
    "share",
    "year_bounds",
]


@dataclass(frozen=True)
class Measure:
    """A computed figure and the records behind it."""

    value: Decimal
    detail: str  # e.g. "12 of 20 members"
    url: str = ""  # the page listing the records it was computed from


@dataclass(frozen=True)
class Source:
    code: str
    label: str | Promise
    unit: str
    formula: str | Promise  # shown next to the figure
    compute: Callable[..., Measure | None]  # (plan) -> Measure, or None when nothing to count
    higher_is_better: bool = True
    options: tuple[str, ...] = field(default=())  # e.g. ("subject",) for pupils' results


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    """Add a source (apps call this from `ready()`; registering a code again replaces it)."""
    _SOURCES[source.code] = source


# The values an option may take, where the app that keeps them can list them (e.g. the
# assessment periods of pupils' results): option name -> a callable returning (value, label).
_OPTION_CHOICES: dict[str, Callable[[], list[tuple[str, str]]]] = {}
MAX_SUBJECTS = 50


def register_option_choices(name: str, choices: Callable[[], list[tuple[str, str]]]) -> None:
    _OPTION_CHOICES[name] = choices


def option_choices(name: str) -> list[tuple[str, str]]:
    read = _OPTION_CHOICES.get(name)
    return read() if read else []


def takes_option(code: str, name: str) -> bool:
    source = _SOURCES.get(code)
    return source is not None and name in source.options


def get(code: str) -> Source | None:
    return _SOURCES.get(code)


def choices() -> list[tuple[str, str]]:
    return sorted(((s.code, str(s.label)) for s in _SOURCES.values()), key=lambda c: c[1])


def share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def member_ids(plan) -> list[int]:
    """The plan's community's members now (active people)."""
    from communities.models import Membership

    return list(
        Membership.objects.filter(community_id=plan.community_id, person__is_active=True)
        .values_list("person_id", flat=True)
        .distinct()
    )


def members_share(
    plan, counted: Callable[[list[int]], int], what: str, url: str = ""
) -> Measure | None:
    """The share of the community's members for whom `counted` holds, with the count; `url`
    lists the records counted (the community's composition by default)."""
    members = member_ids(plan)
    if not members:
        return None
    part = counted(members)
    return Measure(
        value=share(part, len(members)),
        detail=_("%(part)s of %(whole)s members %(what)s")
        % {"part": part, "whole": len(members), "what": what},
        url=url or reverse("communities:composition", args=[plan.community_id]),
    )


def members_with(plan, measure_code: str, what: str, url: str = "") -> Measure | None:
    """The share of members whose per-person measure (people.measures, the same count the
    teachers' rating reads) is above zero for the plan's school year: each count is written
    once, in the app that keeps the records."""
    measure = measures.get(measure_code)
    if measure is None:
        return None

    def counted(members: list[int]) -> int:
        values = measure.compute(members, plan.school_year)
        return sum(1 for value, _records in values.values() if value > 0)

    return members_share(plan, counted, what, url)


# -- planning's own sources: the plan's rows and the members' databank records -----------------


def _items_done(plan) -> Measure | None:
    from .models import AgendaItem

    counts = AgendaItem.objects.filter(meeting__plan=plan).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done=True))
    )
    if not counts["total"]:
        return None
    return Measure(
        value=share(counts["done"], counts["total"]),
        detail=_("%(done)s of %(total)s items done") % counts,
        url=reverse("planning:detail", args=[plan.pk]),
    )


def _courses(plan) -> Measure | None:
    return members_with(plan, "courses_completed", _("completed a course this school year"))


def _with_category(plan) -> Measure | None:
    return members_with(plan, "qualification_category", _("hold a qualification category"))


def connect() -> None:
    register(
        Source(
            "plan_items_done",
            gettext_lazy("Plan items done"),
            PERCENT,
            gettext_lazy("items marked done ÷ all items of the plan × 100"),
            _items_done,
        )
    )
    register(
        Source(
            "members_with_courses",
            gettext_lazy("Members who completed a course this school year"),
            PERCENT,
            gettext_lazy(
                "members with a course completed in the school year (databank) ÷ members × 100"
            ),
            _courses,
        )
    )
    register(
        Source(
            "members_with_category",
            gettext_lazy("Members holding a qualification category"),
            PERCENT,
            gettext_lazy("members with a category in the databank ÷ members × 100"),
            _with_category,
        )
    )
