"""Per-person measures for the teachers' rating out of the lesson-visit log and the lesson-study
cycles (registered with people.measures in LessonStudyConfig.ready)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy

from people import measures
from people.measures import Measure, Values

from .models import LessonVisit, ResearchLesson


def _visits(school_year: int):
    start, end = measures.year_bounds(school_year)
    return LessonVisit.objects.filter(date__range=(start, end)).order_by()


def _visited(person_ids: list[int], school_year: int) -> Values:
    rows = (
        _visits(school_year)
        .filter(visitor_id__in=person_ids)
        .values_list("visitor_id")
        .annotate(n=Count("pk"))
    )
    return measures.counted(person_ids, rows, measures.portfolio_url)


def _special_lessons(person_ids: list[int], school_year: int) -> Values:
    kinds = (LessonVisit.LessonKind.INNOVATIVE, LessonVisit.LessonKind.OPEN)
    # A lesson visited by several colleagues counts once (teacher, date, class).
    lessons = (
        _visits(school_year)
        .filter(teacher_id__in=person_ids, lesson_kind__in=kinds)
        .values_list("teacher_id", "date", "class_name")
        .distinct()
    )
    counts: dict[int, int] = {}
    for teacher_id, _date, _class in lessons:
        counts[teacher_id] = counts.get(teacher_id, 0) + 1
    return measures.counted(person_ids, counts.items(), measures.portfolio_url)


def _cycles(person_ids: list[int], school_year: int) -> Values:
    """Cycles with a research lesson of the year the teacher taught or observed."""
    start, end = measures.year_bounds(school_year)
    lessons = ResearchLesson.objects.filter(date__range=(start, end)).order_by()
    taught = lessons.filter(teacher_id__in=person_ids).values_list("teacher_id", "cycle_id")
    observed = lessons.filter(observers__in=person_ids).values_list("observers", "cycle_id")
    cycles: dict[int, set[int]] = {}
    for person_id, cycle_id in [*taught, *observed]:
        cycles.setdefault(person_id, set()).add(cycle_id)
    return measures.counted(
        person_ids, ((pk, len(ids)) for pk, ids in cycles.items()), measures.portfolio_url
    )


def connect() -> None:
    measures.register(
        Measure(
            "lessons_visited",
            gettext_lazy("Colleagues' lessons visited"),
            gettext_lazy("visits"),
            gettext_lazy("visits to colleagues' lessons in the log of the school year"),
            _visited,
        )
    )
    measures.register(
        Measure(
            "open_lessons_given",
            gettext_lazy("Innovative and open lessons given"),
            gettext_lazy("lessons"),
            gettext_lazy(
                "the teacher's innovative and open lessons in the visit log of the school year"
            ),
            _special_lessons,
        )
    )
    measures.register(
        Measure(
            "lesson_study_cycles",
            gettext_lazy("Lesson-study cycles taken part in"),
            gettext_lazy("cycles"),
            gettext_lazy(
                "cycles with a research lesson of the school year the teacher taught or observed"
            ),
            _cycles,
        )
    )
