"""A per-person measure for the teachers' rating: mentoring sessions held as a mentor
(registered with people.measures in MentoringConfig.ready)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy

from people import measures
from people.measures import Measure, Values

from .models import Session


def _sessions(person_ids: list[int], school_year: int) -> Values:
    start, end = measures.year_bounds(school_year)
    rows = (
        Session.objects.filter(pair__mentor_id__in=person_ids, held_on__range=(start, end))
        .order_by()
        .values_list("pair__mentor_id")
        .annotate(n=Count("pk"))
    )
    url = reverse("mentoring:list")
    return measures.counted(person_ids, rows, lambda _pk: url)


def connect() -> None:
    measures.register(
        Measure(
            "mentoring_sessions",
            gettext_lazy("Mentoring sessions held as a mentor"),
            gettext_lazy("sessions"),
            gettext_lazy("sessions in the logs of the teacher's mentoring pairs, school year"),
            _sessions,
        )
    )
