"""Writing a checked list in one transaction: logins, people, positions, databank records."""

from __future__ import annotations

import re

from anyascii import anyascii
from django.db import transaction
from django.db.models.functions import Lower

from organisations.models import Organisation

from .. import services
from ..models import Person, Position, TeacherProfile
from .matching import _chunks, _Plan


def transliterate(text: str) -> str:
    """Latin letters for a login: Russian and Kazakh names (and any other script) by anyascii."""
    return re.sub(r"[^a-z0-9-]+", "", anyascii(text).lower()).strip("-")


def username_base(last_name: str, first_name: str, middle_name: str = "") -> str:
    """ivanov.ii for Иванов Иван Игоревич."""
    last = transliterate(last_name)[:120] or "teacher"
    initials = (transliterate(first_name)[:1] + transliterate(middle_name)[:1]) or ""
    return f"{last}.{initials}" if initials else last


def _username_candidates(base: str, start: int, count: int) -> list[str]:
    """base, base2, base3, … - the n-th candidate for n in [start, start + count)."""
    return [base if n == 1 else f"{base}{n}" for n in range(start, start + count)]


def assign_usernames(bases: list[str]) -> list[str]:
    """A free login for each base, in order: the base itself, else base2, base3, …

    Taken logins are compared case-insensitively. Every row's candidates are checked at once
    (a few queries per chunk of rows on the lower(username) index), so the cost per row stays
    flat however many people share a surname; only bases whose candidates all turn out taken
    ask again, with twice as many.
    """
    needed: dict[str, int] = {}
    for base in bases:
        needed[base] = needed.get(base, 0) + 1
    free: dict[str, list[str]] = {base: [] for base in needed}
    claimed: set[str] = set()  # two bases can share a candidate (an "ivanov" and an "ivanov2")
    window = dict(needed)  # how many candidates to try next, per base
    start = dict.fromkeys(needed, 1)  # the next n to try, per base
    short = dict(needed)
    while short:
        candidates: dict[str, str] = {}
        for base in short:
            for candidate in _username_candidates(base, start[base], window[base]):
                if candidate.lower() not in claimed:
                    candidates.setdefault(candidate.lower(), base)
            start[base] += window[base]
        taken: set[str] = set()
        for chunk in _chunks(sorted(candidates)):
            taken.update(
                Person.objects.annotate(username_lower=Lower("username"))
                .filter(username_lower__in=chunk)
                .values_list("username_lower", flat=True)
            )
        for candidate, base in candidates.items():
            if candidate not in taken and len(free[base]) < needed[base]:
                free[base].append(candidate)
                claimed.add(candidate)
        short = {}
        for base, count in needed.items():
            missing = count - len(free[base])
            if missing > 0:
                short[base] = missing
                window[base] = max(missing, window[base]) * 2
    queues = {base: iter(names) for base, names in free.items()}
    return [next(queues[base]) for base in bases]


def _write(organisation: Organisation, plans: list[_Plan]) -> None:
    """Write every plan in one transaction, a few queries per chunk of rows; all or nothing."""
    new_plans = [p for p in plans if p.person is None]
    old_plans = [p for p in plans if p.person is not None]
    with transaction.atomic():
        usernames = assign_usernames(
            [
                username_base(
                    p.row.person["last_name"],
                    p.row.person["first_name"],
                    p.row.person.get("middle_name", ""),
                )
                for p in new_plans
            ]
        )
        created = services.create_people(
            people=[
                Person(
                    username=username,
                    **{f: p.row.person.get(f, "").strip() for f in services.PERSON_FIELDS},
                )
                for p, username in zip(new_plans, usernames, strict=True)
            ]
        )

        changed_people: list[Person] = []
        person_fields: set[str] = set()
        for plan in old_plans:
            if plan.person_changes:
                for name, value in plan.person_changes.items():
                    setattr(plan.person, name, value.strip() if isinstance(value, str) else value)
                person_fields.update(plan.person_changes)
                changed_people.append(plan.person)
        services.update_people(people=changed_people, fields=person_fields)

        services.add_positions(
            positions=[
                Position(person=person, organisation=organisation, title=p.row.position)
                for p, person in zip(new_plans, created, strict=True)
            ]
            + [
                Position(
                    person=p.person,
                    organisation=organisation,
                    title=p.row.position,
                    is_main=p.is_main,
                )
                for p in old_plans
                if p.add_position
            ]
        )

        new_profiles: list[TeacherProfile] = []
        changed_profiles: list[TeacherProfile] = []
        profile_fields: set[str] = set()
        for plan, person in zip(new_plans, created, strict=True):
            new_profiles.append(TeacherProfile(person=person, **plan.row.profile))
        for plan in old_plans:
            if plan.create_profile:
                new_profiles.append(TeacherProfile(person=plan.person, **plan.profile_changes))
            elif plan.profile_changes:
                profile = plan.person.teacher_profile
                for name, value in plan.profile_changes.items():
                    setattr(profile, name, value)
                profile_fields.update(plan.profile_changes)
                changed_profiles.append(profile)
        services.save_profiles(
            created=new_profiles, changed=changed_profiles, fields=profile_fields
        )
