"""Writes for people, positions, roles and the teacher databank."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import require
from organisations.models import Organisation

from . import permissions
from .models import (
    Achievement,
    CourseSupport,
    DatabankAccess,
    DatabankExport,
    Person,
    Position,
    RoleAssignment,
    TeacherProfile,
)

PERSON_FIELDS = ("first_name", "last_name", "middle_name", "email", "phone")
PROFILE_FIELDS = (
    "education",
    "education_institution",
    "specialty",
    "qualification_category",
    "category_assigned_on",
    "next_attestation_on",
    "category_sought",
    "experience_total",
    "experience_teaching",
    "subjects",
    "workload_hours",
    "classes_taught",
    "experience_generalisation",
    "self_education_topic",
    "titles",
)


@transaction.atomic
def create_person(
    *,
    username: str,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    email: str = "",
    phone: str = "",
    password: str | None = None,
) -> Person:
    if Person.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This login is taken.")})
    person = Person(
        username=username,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        middle_name=middle_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
    )
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    return person


def choose_language(*, person: Person, language: str) -> None:
    """Remember the interface language a person chose: their notices and e-mails follow it."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages.")})
    if person.language != language:
        Person.objects.filter(pk=person.pk).update(language=language)
        person.language = language


@transaction.atomic
def update_person(*, person: Person, actor=None, **changes) -> Person:
    """Change a person's account fields; `actor` (None: a trusted caller) must be allowed."""
    require(actor, lambda: permissions.can_edit_person(actor, person))
    for field, value in changes.items():
        if field not in PERSON_FIELDS:
            raise ValueError(f"{field} cannot be set here")
        setattr(person, field, value.strip() if isinstance(value, str) else value)
    person.full_clean(exclude=["password"])
    person.save()
    return person


def _validate_profile(profile: TeacherProfile) -> None:
    errors = {}
    if (
        profile.experience_total is not None
        and profile.experience_teaching is not None
        and profile.experience_teaching > profile.experience_total
    ):
        errors["experience_teaching"] = _("Teaching experience cannot exceed total experience.")
    if profile.experience_total is not None and profile.experience_total > 70:
        errors["experience_total"] = _("Experience of more than 70 years is not plausible.")
    if profile.workload_hours is not None and not (0 <= profile.workload_hours <= 60):
        errors["workload_hours"] = _("Workload must be between 0 and 60 hours a week.")
    if (
        profile.category_assigned_on
        and profile.next_attestation_on
        and profile.next_attestation_on < profile.category_assigned_on
    ):
        errors["next_attestation_on"] = _("The next attestation cannot come before the last one.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_profile(*, person: Person, **fields) -> TeacherProfile:
    profile, _created = TeacherProfile.objects.get_or_create(person=person)
    for field, value in fields.items():
        if field not in PROFILE_FIELDS:
            raise ValueError(f"{field} cannot be set here")
        setattr(profile, field, value)
    _validate_profile(profile)
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def add_position(
    *, person: Person, organisation: Organisation, title: str, is_main: bool = True
) -> Position:
    position, _created = Position.objects.get_or_create(
        person=person, organisation=organisation, title=title, defaults={"is_main": is_main}
    )
    return position


# Bulk writes for the teacher import: a region's list is thousands of rows, and one INSERT per
# row (with its own checks) took minutes. The caller validates every object first, as the
# single-object services above do, and wraps the whole import in one transaction.
BULK_BATCH = 500


@transaction.atomic
def create_people(*, people: list[Person]) -> list[Person]:
    """Insert validated, unsaved people; without a password they cannot log in until invited."""
    for person in people:
        if not person.password:
            # What set_unusable_password() stores, from one random draw instead of forty (it
            # was a tenth of a 5,000-row import).
            person.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(
                UNUSABLE_PASSWORD_SUFFIX_LENGTH // 2
            )
        person.clean()  # the normalisation full_clean() does (the email's domain in lower case)
        person.search_name = person.compute_search_name()  # bulk_create skips Person.save()
    return Person.objects.bulk_create(people, batch_size=BULK_BATCH)


@transaction.atomic
def update_people(*, people: list[Person], fields: Iterable[str]) -> None:
    """Save the given fields of already validated people (and their search names)."""
    fields = set(fields)
    if not fields <= set(PERSON_FIELDS):
        raise ValueError(f"{sorted(fields - set(PERSON_FIELDS))} cannot be set here")
    if not people or not fields:
        return
    for person in people:
        person.clean()
        person.search_name = person.compute_search_name()
    Person.objects.bulk_update(people, [*sorted(fields), "search_name"], batch_size=BULK_BATCH)


@transaction.atomic
def add_positions(*, positions: list[Position]) -> None:
    """Like add_position for many: a position the person already holds is left as it is."""
    Position.objects.bulk_create(positions, batch_size=BULK_BATCH, ignore_conflicts=True)


@transaction.atomic
def save_profiles(
    *, created: list[TeacherProfile], changed: list[TeacherProfile], fields: Iterable[str]
) -> None:
    """Insert new databank records and save `fields` of changed ones, checked as save_profile
    checks them (the caller has validated their fields)."""
    fields = set(fields)
    if not fields <= set(PROFILE_FIELDS):
        raise ValueError(f"{sorted(fields - set(PROFILE_FIELDS))} cannot be set here")
    for profile in [*created, *changed]:
        _validate_profile(profile)
    TeacherProfile.objects.bulk_create(created, batch_size=BULK_BATCH)
    if changed:
        now = timezone.now()  # bulk_update skips auto_now
        for profile in changed:
            profile.updated_at = now
        TeacherProfile.objects.bulk_update(
            changed, [*sorted(fields), "updated_at"], batch_size=BULK_BATCH
        )


@transaction.atomic
def assign_role(*, person: Person, role: str, territory=None, organisation=None, network=None):
    scope = {"territory": territory, "organisation": organisation, "network": network}
    needed = {
        RoleAssignment.Role.CENTRE_ADMIN: "territory",
        RoleAssignment.Role.CURATOR: "territory",
        RoleAssignment.Role.COORDINATOR: "network",
        RoleAssignment.Role.SCHOOL_ADMIN: "organisation",
    }[role]
    if scope[needed] is None:
        labels = {
            "territory": _("a territory"),
            "organisation": _("an organisation"),
            "network": _("a network"),
        }
        raise ValidationError({needed: _("This role needs %(scope)s.") % {"scope": labels[needed]}})
    assignment, _created = RoleAssignment.objects.get_or_create(
        person=person, role=role, **{needed: scope[needed]}
    )
    return assignment


def log_databank_access(
    *, viewer, subjects: Iterable[Person], action: str, channel: str = "page"
) -> int:
    """Record views and exports of other people's records; one's own record is not logged."""
    rows = [
        DatabankAccess(viewer=viewer, subject_id=s.pk, action=action, channel=channel)
        for s in subjects
        if s.pk != viewer.pk
    ]
    DatabankAccess.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def start_databank_export(*, organisation: Organisation, actor: Person) -> DatabankExport:
    """Queue the databank export of a large organisation; the caller starts the job."""
    if not permissions.can_manage_organisation_staff(actor, organisation):
        raise PermissionDenied
    return DatabankExport.objects.create(organisation=organisation, requested_by=actor)


@transaction.atomic
def save_databank(
    *,
    person: Person,
    person_fields: dict,
    profile_fields: dict,
    item_formsets: Iterable = (),
    actor=None,
) -> TeacherProfile:
    """Save a whole databank record (account, profile and its lists) or nothing, by one the
    policy lets edit it (`actor` None: a trusted caller)."""
    require(actor, lambda: permissions.can_edit_databank(actor, person))
    update_person(person=person, actor=actor, **person_fields)
    profile = save_profile(person=person, **profile_fields)
    for formset in item_formsets:
        formset.instance = profile
        formset.save()
    return profile


@transaction.atomic
def record_achievement(
    *, person: Person, source: str, year: int, description: str, level: str = "", url: str = ""
) -> None:
    """Put a teacher's achievement that Collegium itself witnessed (a certificate, a talk) into
    the person's databank record, or bring it up to date: one row per `source`, which the
    databank's edit page shows but does not let anyone change. A trusted caller's write: the
    app that made the record decides who may cause it."""
    if not source:
        raise ValueError("an achievement recorded by Collegium names its source")
    profile, _created = TeacherProfile.objects.get_or_create(person=person)
    Achievement.objects.update_or_create(
        profile=profile,
        source=source,
        defaults={
            "kind": Achievement.Kind.TEACHER,
            "year": year,
            "description": description[:500],
            "level": level[:100],
            "url": url[:300],
        },
    )


@transaction.atomic
def withdraw_achievement(*, source: str) -> int:
    """Remove the achievements recorded from `source` (a revoked certificate); returns how many."""
    if not source:
        return 0
    deleted, _by_model = Achievement.objects.filter(source=source).delete()
    return deleted


# Attestation and growth (issue 8): post-course support (000 §2.2.4) --------------------------

COURSE_SUPPORT_FIELDS = ("course", "supporter", "plan", "started_on", "follow_up_on", "notes")


@transaction.atomic
def save_course_support(
    *, person: Person, actor=None, support: CourseSupport | None = None, **fields
) -> CourseSupport:
    """Add (or change) a support record for a teacher trained in a level programme."""
    require(actor, lambda: permissions.can_manage_course_support(actor, person))
    profile, _created = TeacherProfile.objects.get_or_create(person=person)
    # Two submits of the same form (a double click, two tabs) wait for each other here and
    # make one record.
    TeacherProfile.objects.select_for_update().filter(pk=profile.pk).first()
    if support is None:
        same = {name: fields.get(name) for name in ("course", "supporter")}
        twin = CourseSupport.objects.filter(
            profile=profile, plan=(fields.get("plan") or "").strip(), **same
        ).first()
        if twin is not None:
            return twin
        support = CourseSupport(profile=profile)
    elif support.profile_id != profile.pk:
        raise PermissionDenied
    for name, value in fields.items():
        if name not in COURSE_SUPPORT_FIELDS:
            raise ValueError(f"{name} cannot be set here")
        setattr(support, name, value.strip() if isinstance(value, str) else value)
    if support.course_id and support.course.profile_id != profile.pk:
        raise ValidationError({"course": _("Choose one of this teacher's courses.")})
    if support.started_on and support.follow_up_on and support.follow_up_on < support.started_on:
        raise ValidationError(
            {"follow_up_on": _("The follow-up cannot come before the support starts.")}
        )
    support.full_clean()
    support.save()
    return support


@transaction.atomic
def delete_course_support(*, support: CourseSupport, actor=None) -> None:
    person = support.profile.person
    require(actor, lambda: permissions.can_manage_course_support(actor, person))
    CourseSupport.objects.filter(pk=support.pk).delete()
