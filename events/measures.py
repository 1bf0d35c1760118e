"""Per-person measures for the teachers' rating out of events (registered with people.measures
in EventsConfig.ready): events spoken at and held events attended in the school year."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy

from people import measures
from people.measures import Measure, Values

from .models import Event, ProgrammeItem, Registration


def _held(school_year: int):
    start, end = measures.year_bounds(school_year)
    return Event.objects.filter(status=Event.Status.HELD, starts_at__date__range=(start, end))


def _spoke(person_ids: list[int], school_year: int) -> Values:
    rows = (
        ProgrammeItem.objects.filter(speaker_id__in=person_ids, event__in=_held(school_year))
        .order_by()
        .values_list("speaker_id")
        .annotate(n=Count("event_id", distinct=True))
    )
    return measures.counted(person_ids, rows, measures.portfolio_url)


def _attended(person_ids: list[int], school_year: int) -> Values:
    rows = (
        Registration.objects.filter(
            person_id__in=person_ids, attended=True, event__in=_held(school_year)
        )
        .order_by()
        .values_list("person_id")
        .annotate(n=Count("pk"))
    )
    return measures.counted(person_ids, rows, measures.portfolio_url)


def connect() -> None:
    measures.register(
        Measure(
            "events_spoken",
            gettext_lazy("Events spoken at"),
            gettext_lazy("events"),
            gettext_lazy("held events of the school year with the teacher in the programme"),
            _spoke,
        )
    )
    measures.register(
        Measure(
            "events_attended",
            gettext_lazy("Events attended"),
            gettext_lazy("events"),
            gettext_lazy("held events of the school year the teacher was marked present at"),
            _attended,
        )
    )
