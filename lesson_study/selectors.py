"""Reads for lesson study and lesson visits; each page's reads in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from communities.models import Community, Membership
from core.schoolyear import TERMS, school_year_of, term_bounds, year_bounds
from planning.models import Plan, Target

from .indicators import VISITED_OTHERS
from .models import CasePupil, Cycle, LessonPlan, LessonVisit, ObservationSheet, ResearchLesson
from .permissions import visible_cycles_q, visible_sheets_q

# 004 doc. 12 / the plan's result 1: every member visits and is visited each term.
DEFAULT_VISIT_TARGET = Decimal(100)
# A plan's expected result counts as the visits target when its indicator speaks of visits.
VISIT_WORDS = ("посещ", "посет", "visit")


def cycles_of(community: Community) -> QuerySet[Cycle]:
    return (
        Cycle.objects.filter(community=community)
        .annotate(pupil_count=Count("pupils", distinct=True))
        .order_by("-created_at", "-id")
    )


def cycle_detail(pk: int) -> Cycle:
    return Cycle.objects.select_related(
        "community__kind",
        "community__territory",
        "community__organisation",
        "community__parent",
    ).get(pk=pk)


@dataclass
class CyclePage:
    plans: list[LessonPlan]
    pupils: list[CasePupil]
    lessons: list[ResearchLesson]
    members: list[Membership]


def cycle_page(cycle: Cycle) -> CyclePage:
    """Everything the cycle's page and report show: plans, pupils, lessons with their observers
    and sheets (with the pupil and observer of each)."""
    sheets = ObservationSheet.objects.select_related("pupil", "observer").order_by(
        "pupil__pseudonym", "observer__last_name", "observer__first_name", "id"
    )
    lessons = list(
        cycle.lessons.select_related("teacher")
        .prefetch_related("observers", Prefetch("sheets", queryset=sheets))
        .order_by("round")
    )
    return CyclePage(
        plans=list(cycle.lesson_plans.select_related("author").order_by("number")),
        pupils=list(cycle.pupils.order_by("pseudonym")),
        lessons=lessons,
        members=list(
            Membership.objects.filter(community_id=cycle.community_id)
            .select_related("person")
            .order_by("person__last_name", "person__first_name", "id")
        ),
    )


def sheets_owed(user, today: dt.date | None = None) -> QuerySet[ObservationSheet]:
    """Sheets of lessons already taught that the person observed and has not written yet."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return (
        ObservationSheet.objects.filter(
            observer_id=user.pk,
            observed="",
            lesson__date__lte=today,
            lesson__cycle__community__status=Community.Status.ACTIVE,
            lesson__cycle__community__memberships__person_id=user.pk,
        )
        .exclude(lesson__cycle__stage=Cycle.Stage.REPORT)
        .select_related("lesson__cycle__community", "pupil")
        .order_by("lesson__date", "lesson_id", "pupil__pseudonym")
    )


# Lesson visits ----------------------------------------------------------------------------
def visits_of(community: Community) -> QuerySet[LessonVisit]:
    return (
        LessonVisit.objects.filter(community=community)
        .select_related("visitor", "teacher")
        .order_by("-date", "-id")
    )


def current_term(today: dt.date) -> tuple[int, int, dt.date, dt.date]:
    """(school year, term number, first day, last day) of the term today lies in; in the
    holidays between terms, the term just ended (or, before the first, the first)."""
    year = school_year_of(today)
    chosen = 1
    for number in range(1, len(TERMS) + 1):
        start, _end = term_bounds(year, number)
        if start <= today:
            chosen = number
    start, end = term_bounds(year, chosen)
    return year, chosen, start, end


@dataclass
class VisitShares:
    school_year: int
    term: int
    starts: dt.date
    ends: dt.date
    members: int
    visited_others: int  # members who visited a colleague this term
    were_visited: int  # members whose lesson was visited this term
    target: Decimal
    target_from_plan: bool

    @staticmethod
    def _share(n: int, of: int) -> int:
        return round(100 * n / of) if of else 0

    @property
    def visited_share(self) -> int:
        return self._share(self.visited_others, self.members)

    @property
    def visited_ok(self) -> bool:
        return self.visited_share >= self.target

    @property
    def were_visited_share(self) -> int:
        return self._share(self.were_visited, self.members)

    @property
    def were_visited_ok(self) -> bool:
        return self.were_visited_share >= self.target


def visit_target(community: Community, school_year: int) -> tuple[Decimal, bool]:
    """The target share of members visiting and visited: the community's plan's expected result
    about visits if it has one (its latest revision for the year), else 100%."""
    plan = (
        Plan.objects.filter(community=community, school_year=school_year)
        .order_by("-revision")
        .first()
    )
    if plan is not None:
        targets = list(Target.objects.filter(plan=plan, unit="%").order_by("order", "id"))
        # A target computed from the visits log names itself; else one whose words say visits.
        for target in targets:
            if target.source == VISITED_OTHERS:
                return min(target.target, Decimal(100)), True
        for target in targets:
            text = target.indicator.lower()
            if any(word in text for word in VISIT_WORDS):
                return min(target.target, Decimal(100)), True
    return DEFAULT_VISIT_TARGET, False


def visit_shares(community: Community, today: dt.date) -> VisitShares:
    year, term, start, end = current_term(today)
    members = set(
        Membership.objects.filter(community=community).values_list("person_id", flat=True)
    )
    pairs = LessonVisit.objects.filter(
        community=community, date__gte=start, date__lte=end
    ).values_list("visitor_id", "teacher_id")
    visitors, visited = set(), set()
    for visitor_id, teacher_id in pairs:
        visitors.add(visitor_id)
        visited.add(teacher_id)
    target, from_plan = visit_target(community, year)
    return VisitShares(
        school_year=year,
        term=term,
        starts=start,
        ends=end,
        members=len(members),
        visited_others=len(visitors & members),
        were_visited=len(visited & members),
        target=target,
        target_from_plan=from_plan,
    )


@dataclass
class LessonCount:
    person: object
    innovative: int
    open: int

    @property
    def total(self) -> int:
        return self.innovative + self.open


def special_lessons(community: Community, today: dt.date) -> list[LessonCount]:
    """Innovative and open lessons each member gave this school year, as the log shows them; a
    lesson visited by several colleagues counts once (teacher, date, class)."""
    year = school_year_of(today)
    start, end = year_bounds(year)
    kinds = (LessonVisit.LessonKind.INNOVATIVE, LessonVisit.LessonKind.OPEN)
    lessons = (
        LessonVisit.objects.filter(
            community=community, date__gte=start, date__lte=end, lesson_kind__in=kinds
        )
        .order_by()
        .values_list("teacher_id", "date", "class_name", "lesson_kind")
        .distinct()
    )
    counts: Counter = Counter()
    for teacher_id, _date, _class, kind in lessons:
        counts[(teacher_id, kind)] += 1
    members = (
        Membership.objects.filter(community=community)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )
    return [
        LessonCount(
            person=m.person,
            innovative=counts[(m.person_id, LessonVisit.LessonKind.INNOVATIVE)],
            open=counts[(m.person_id, LessonVisit.LessonKind.OPEN)],
        )
        for m in members
    ]


def visible_cycles(user) -> QuerySet[Cycle]:
    return Cycle.objects.filter(visible_cycles_q(user)).select_related("community")


def visible_sheets(user) -> QuerySet[ObservationSheet]:
    return ObservationSheet.objects.filter(visible_sheets_q(user)).select_related("pupil", "lesson")


def cycles_taken_part_in(person, since: dt.date) -> QuerySet[Cycle]:
    """The cycles of the teacher's portfolio: those of the teams the person is in, and those
    whose lessons they taught or observed, going on since `since` (ended since then, or not
    ended and started or created since then). Each row carries its team and what the person
    did: `membership_role` (or None), `taught`, `observed`. One query."""
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    membership = Membership.objects.filter(community_id=OuterRef("community_id"), person=person)
    taught = ResearchLesson.objects.filter(cycle_id=OuterRef("pk"), teacher=person)
    observed = ResearchLesson.objects.filter(cycle_id=OuterRef("pk"), observers=person)
    recent = Q(ends_on__gte=since) | Q(
        Q(ends_on__isnull=True)
        & (Q(starts_on__gte=since) | Q(starts_on__isnull=True, created_at__gte=start))
    )
    return (
        Cycle.objects.annotate(
            membership_role=Subquery(membership.values("role")[:1]),
            taught=Exists(taught),
            observed=Exists(observed),
        )
        .filter(Q(membership_role__isnull=False) | Q(taught=True) | Q(observed=True))
        .filter(recent)
        .select_related("community")
        .order_by("starts_on", "created_at", "id")
    )
