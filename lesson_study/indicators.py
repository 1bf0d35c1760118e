"""Figures a plan's target can be computed from, out of the lesson-visit log and the lesson-study
cycles (registered with planning.indicators in LessonStudyConfig.ready)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planning import indicators
from planning.indicators import Measure, Source

from .models import Cycle, LessonVisit

VISITED_OTHERS = "members_visited_lessons"


def _visits(plan):
    start, end = indicators.year_bounds(plan.school_year)
    return LessonVisit.objects.filter(community_id=plan.community_id, date__range=(start, end))


def _visited_others(plan) -> Measure | None:
    def counted(members: list[int]) -> int:
        return _visits(plan).filter(visitor_id__in=members).values("visitor_id").distinct().count()

    url = reverse("lesson_study:visits", args=[plan.community_id])
    return indicators.members_share(plan, counted, _("visited a colleague's lesson"), url)


def _were_visited(plan) -> Measure | None:
    def counted(members: list[int]) -> int:
        return _visits(plan).filter(teacher_id__in=members).values("teacher_id").distinct().count()

    url = reverse("lesson_study:visits", args=[plan.community_id])
    return indicators.members_share(plan, counted, _("had a lesson visited by a colleague"), url)


def _special_lessons(plan) -> Measure | None:
    kinds = (LessonVisit.LessonKind.INNOVATIVE, LessonVisit.LessonKind.OPEN)
    # A lesson visited by several colleagues counts once (teacher, date, class).
    lessons = (
        _visits(plan)
        .filter(lesson_kind__in=kinds)
        .order_by()
        .values("teacher_id", "date", "class_name")
        .distinct()
        .count()
    )
    return Measure(
        value=indicators.Decimal(lessons),
        detail=_("%(n)s innovative and open lessons in the log") % {"n": lessons},
        url=reverse("lesson_study:visits", args=[plan.community_id]),
    )


def _cycles(plan) -> Measure | None:
    start, end = indicators.year_bounds(plan.school_year)
    count = Cycle.objects.filter(
        Q(community_id=plan.community_id) | Q(community__parent_id=plan.community_id),
        starts_on__range=(start, end),
    ).count()
    return Measure(
        value=indicators.Decimal(count),
        detail=_("%(n)s cycles started this school year") % {"n": count},
        url=reverse("lesson_study:cycles", args=[plan.community_id]),
    )


def connect() -> None:
    indicators.register(
        Source(
            VISITED_OTHERS,
            gettext_lazy("Members who visited colleagues' lessons"),
            indicators.PERCENT,
            gettext_lazy(
                "members who visited a lesson this school year (the visits log) ÷ members × 100"
            ),
            _visited_others,
        )
    )
    indicators.register(
        Source(
            "members_were_visited",
            gettext_lazy("Members whose lessons colleagues visited"),
            indicators.PERCENT,
            gettext_lazy("members visited this school year (the visits log) ÷ members × 100"),
            _were_visited,
        )
    )
    indicators.register(
        Source(
            "innovative_open_lessons",
            gettext_lazy("Innovative and open lessons given"),
            gettext_lazy("lessons"),
            gettext_lazy(
                "innovative and open lessons in the visits log this school year, each once"
            ),
            _special_lessons,
        )
    )
    indicators.register(
        Source(
            "lesson_study_cycles",
            gettext_lazy("Lesson-study and action-research cycles"),
            gettext_lazy("cycles"),
            gettext_lazy("cycles of the community and its teams started this school year"),
            _cycles,
        )
    )
