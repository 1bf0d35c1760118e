"""Reads for people and the teacher databank."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.text import clean_text, prefix_q, search_key
from organisations.models import Organisation, Territory

from .models import (
    Achievement,
    Award,
    Course,
    DatabankAccess,
    Person,
    Position,
    QualificationCategory,
    TeacherProfile,
)


def _databank_lists() -> list[Prefetch]:
    """A record's lists as plain lists (``course_list`` and the like).

    At 5,000 people a related manager per record costs seconds; a list attribute costs nothing.
    """
    return [
        Prefetch("teacher_profile__courses", queryset=Course.objects.all(), to_attr="course_list"),
        Prefetch("teacher_profile__awards", queryset=Award.objects.all(), to_attr="award_list"),
        Prefetch(
            "teacher_profile__achievements",
            queryset=Achievement.objects.all(),
            to_attr="achievement_list",
        ),
    ]


def people_list(
    *, q: str = "", organisation: int | None = None, territory: Territory | None = None
) -> QuerySet[Person]:
    qs = Person.objects.filter(is_active=True).prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organisation"))
    )
    if q:
        key = search_key(q)
        # Names are searched by prefix of the indexed key (surname first), which scales to a
        # region; an email is matched exactly.
        if "@" in q:
            qs = qs.filter(email__iexact=clean_text(q).strip())
        else:
            qs = qs.filter(prefix_q("search_name", key))
    if organisation:
        qs = qs.filter(positions__organisation_id=organisation).distinct()
    if territory is not None:
        qs = qs.filter(
            positions__organisation__territory__path__startswith=territory.path
        ).distinct()
    return qs.order_by("last_name", "first_name", "id")


def person_detail(pk: int) -> Person:
    return Person.objects.prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.select_related("organisation__territory"),
        ),
        "role_assignments__territory",
        "role_assignments__organisation",
        "role_assignments__network",
    ).get(pk=pk)


def databank_record(person: Person) -> TeacherProfile | None:
    return (
        TeacherProfile.objects.filter(person=person)
        .select_related("qualification_category")
        .prefetch_related("qualification_history__category", "courses", "awards", "achievements")
        .first()
    )


def organisation_databank(organisation: Organisation) -> QuerySet[Person]:
    """Everyone working at the organisation, with their databank record, for export."""
    return (
        Person.objects.filter(positions__organisation=organisation)
        .distinct()
        .select_related("teacher_profile__qualification_category")
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.filter(organisation=organisation).select_related(
                    "organisation"
                ),
                to_attr="positions_here",
            ),
            *_databank_lists(),
        )
        .order_by("last_name", "first_name", "id")
    )


def access_log(organisation: Organisation) -> QuerySet[DatabankAccess]:
    staff = Position.objects.filter(organisation=organisation).values("person_id")
    return (
        DatabankAccess.objects.filter(subject_id__in=staff)
        .select_related("viewer", "subject")
        .order_by("-at", "-id")
    )


def categories_for(territory: Territory) -> QuerySet[QualificationCategory]:
    """Categories defined for the territory or any territory above it."""
    return QualificationCategory.objects.filter(territory_id__in=territory.ancestor_ids())


def organisation_databank_people(person_ids: list[int]) -> QuerySet[Person]:
    """Databank records of the given people with everything the export prints."""
    return (
        Person.objects.filter(pk__in=person_ids)
        .select_related("teacher_profile__qualification_category")
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.select_related("organisation"),
                to_attr="positions_here",
            ),
            *_databank_lists(),
        )
    )
