"""Reads for people and the teacher databank."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet, Value
from django.db.models.functions import Replace

from core.text import clean_text, prefix_q, search_key
from organisations.models import Organisation, Territory

from . import permissions
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


def _phone_digits(text: str) -> str | None:
    """The digits of a query that looks like a phone number, else None."""
    if not text or any(ch not in _PHONE_CHARS for ch in text):
        return None
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits if len(digits) >= 5 else None


_PHONE_CHARS = set("0123456789+-() ")


def _digits_of(field: str):
    expression = F(field)
    for separator in ("+", "-", "(", ")", " "):
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def people_list(
    *,
    q: str = "",
    organisation: int | None = None,
    territory: Territory | None = None,
    viewer=None,
) -> QuerySet[Person]:
    qs = Person.objects.filter(is_active=True).prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organisation"))
    )
    if q:
        key = search_key(q)
        q = clean_text(q).strip()
        phone = _phone_digits(q)
        # Names are searched by prefix of the indexed key (surname first), which scales to a
        # region. An e-mail or phone is matched exactly, and only among people whose contacts
        # the viewer may see: the answer for anyone else is the same as for an unknown address.
        if "@" in q or phone:
            contacts = Person.objects.filter(permissions.contacts_visible_q(viewer))
            if phone:
                contacts = contacts.annotate(phone_digits=_digits_of("phone")).filter(
                    phone_digits=phone
                )
            else:
                contacts = contacts.filter(email__iexact=q)
            qs = qs.filter(pk__in=contacts.values("pk"))
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


def people_to_pick() -> QuerySet[Person]:
    """Active people with where they work, for pickers (the label names the school)."""
    return Person.objects.filter(is_active=True).prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organisation"))
    )


def search_people(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """People by the start of their name (surname first), as the directory searches them."""
    return qs.filter(prefix_q("search_name", search_key(q))).order_by(
        "last_name", "first_name", "id"
    )


def person_label(person: Person) -> str:
    places = sorted(
        {p.organisation.short_name or p.organisation.name for p in person.positions.all()}
    )
    return f"{person.full_name} — {', '.join(places)}" if places else person.full_name


def search_people_or_login(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """A typed name, or a login or e-mail given whole (how members were added before pickers)."""
    q = clean_text(q).strip()
    exact = qs.filter(username=q) | qs.filter(email__iexact=q) if q else qs.none()
    if exact.exists():
        return exact.order_by("id")
    return search_people(qs, q)
