"""Which rows are people already in the database and what would change for each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from organisations.models import Organisation

from ..models import Person, Position, TeacherProfile
from ..permissions import editable_person_ids
from .fields import FIELD_LABELS, PERSON_FIELDS, PROFILE_FIELDS, PROGRESS_EVERY
from .report import Progress
from .rows import ParsedRow, name_key


@dataclass
class _Plan:
    row: ParsedRow
    person: Person | None = None
    person_changes: dict[str, Any] = field(default_factory=dict)
    profile_changes: dict[str, Any] = field(default_factory=dict)
    create_profile: bool = False
    add_position: bool = False
    is_main: bool = True

    @property
    def action(self) -> str:
        if self.person is None:
            return "created"
        if self.person_changes or self.profile_changes or self.create_profile or self.add_position:
            return "updated"
        return "unchanged"


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class _Existing:
    """People the rows may be: by lower-cased email anywhere; by name among the staff here."""

    by_email: dict[str, list[Person]] = field(default_factory=dict)
    by_name: dict[str, list[Person]] = field(default_factory=dict)
    by_short_name: dict[str, list[Person]] = field(default_factory=dict)


def _short_key(last_name: str, first_name: str) -> str:
    return name_key(f"{last_name} {first_name}")


def _existing(organisation: Organisation, rows: list[ParsedRow]) -> _Existing:
    here = Prefetch(
        "positions", queryset=Position.objects.filter(organisation=organisation), to_attr="here"
    )
    base = (
        Person.objects.select_related("teacher_profile")
        .prefetch_related(here)
        .annotate(
            has_main_position=Exists(Position.objects.filter(person=OuterRef("pk"), is_main=True))
        )
    )
    existing = _Existing()
    emails = sorted({r.email.lower() for r in rows if r.email})
    for chunk in _chunks(emails):
        qs = base.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk)
        for person in qs:
            existing.by_email.setdefault(person.email_lower, []).append(person)
    # A school's staff is a few hundred people at most: load them once.
    for person in base.filter(positions__organisation=organisation).distinct():
        existing.by_name.setdefault(person.search_name, []).append(person)
        short = _short_key(person.last_name, person.first_name)
        existing.by_short_name.setdefault(short, []).append(person)
    return existing


def _same_word(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)


def _match(row: ParsedRow, existing: _Existing) -> Person | None:
    """By email (any case) if the row has one; otherwise - or if nobody has that email - by full
    name among the people working at the organisation, unless they have another email. A row
    without a patronymic matches by surname and first name."""
    email = row.email.lower()
    if email:
        found = existing.by_email.get(email, [])
        if len(found) > 1:
            raise ValidationError(
                _("Several people have the email %(email)s; the row cannot be matched.")
                % {"email": row.email}
            )
        if found:
            person = found[0]
            # A changed surname is fine; a different surname and first name is a wrong email.
            if person.last_name and not (
                _same_word(person.last_name, row.person["last_name"])
                or _same_word(person.first_name, row.person["first_name"])
            ):
                raise ValidationError(
                    _("The email %(email)s belongs to %(name)s, not to this person.")
                    % {"email": row.email, "name": person.full_name}
                )
            return person
    candidates = existing.by_name.get(row.name_key, [])
    if not candidates and not row.person.get("middle_name"):
        short = _short_key(row.person["last_name"], row.person["first_name"])
        candidates = existing.by_short_name.get(short, [])
    found = [p for p in candidates if not email or not p.email or p.email.lower() == email]
    if len(found) > 1:
        raise ValidationError(
            _(
                "Several people at this organisation are called %(name)s; add their emails to "
                "tell them apart."
            )
            % {"name": row.full_name}
        )
    return found[0] if found else None


class _FieldCheck:
    """The model fields' own validation of the values rows set, as full_clean does it for them.

    Only the fields a row sets are checked - the other fields of a new person or profile hold
    defaults, those of a stored one were valid when saved - and without building model
    instances. A value many rows share (an education, a subject, a category date) is checked
    once per import.
    """

    def __init__(self) -> None:
        self.labels = {f: str(FIELD_LABELS[f]) for f in (*PERSON_FIELDS, *PROFILE_FIELDS)}
        self.seen: dict[tuple[type, str, Any], list[str]] = {}

    def errors(self, model: type, values: dict[str, Any]) -> list[str]:
        found: list[str] = []
        for name, value in values.items():
            key = (model, name, value)
            if key not in self.seen:
                messages: list[str] = []
                try:
                    model._meta.get_field(name).clean(value, None)
                except ValidationError as exc:
                    prefix = self.labels.get(name)
                    messages = [f"{prefix}: {m}" if prefix else m for m in exc.messages]
                self.seen[key] = messages
            found.extend(self.seen[key])
        return found


def _plan_row(row: ParsedRow, person: Person | None, check: _FieldCheck) -> _Plan:
    plan = _Plan(row=row, person=person)
    values = {k: v for k, v in row.person.items() if v}
    if person is None:
        person_errors = check.errors(Person, values)
        profile = None
    else:
        for name, value in values.items():
            current = getattr(person, name) or ""
            same = current.lower() == value.lower() if name == "email" else current == value
            if not same:
                plan.person_changes[name] = value
        person_errors = check.errors(Person, plan.person_changes)
        titles = {p.title for p in person.here}
        plan.add_position = row.position not in titles if row.position_given else not titles
        if plan.add_position and not titles:
            plan.is_main = not person.has_main_position
        profile = getattr(person, "teacher_profile", None)
        plan.create_profile = profile is None
        for name, value in row.profile.items():
            current = getattr(profile, name) if profile is not None else None
            if name == "qualification_category":
                same = (current.pk if current else None) == (value.pk if value else None)
            else:
                same = current == value
            if not same:
                plan.profile_changes[name] = value
        # A next attestation before the newly assigned category is out of date.
        assigned = plan.profile_changes.get("category_assigned_on")
        next_on = profile.next_attestation_on if profile is not None else None
        if assigned and next_on and next_on < assigned:
            plan.profile_changes["next_attestation_on"] = None
    if person is None:
        plan.add_position = True
    row.errors.extend(m for m in person_errors if m not in row.errors)

    def after(name: str) -> Any:
        """The profile's value once the row is written."""
        if person is None:
            return row.profile.get(name)
        if name in plan.profile_changes:
            return plan.profile_changes[name]
        return getattr(profile, name) if profile is not None else None

    total, teaching = after("experience_total"), after("experience_teaching")
    if total is not None and teaching is not None and teaching > total:
        message = _("Teaching experience cannot exceed total experience.")
        if message not in row.errors:
            row.errors.append(message)
    # The category was looked up among the territory's own while parsing; validating the key
    # again would cost a query per row.
    changes = row.profile if person is None else plan.profile_changes
    profile_errors = check.errors(
        TeacherProfile, {k: v for k, v in changes.items() if k != "qualification_category"}
    )
    row.errors.extend(m for m in profile_errors if m not in row.errors)
    return plan


def _plan(
    organisation: Organisation,
    rows: list[ParsedRow],
    actor: Person | None,
    progress: Progress | None,
) -> list[_Plan]:
    existing = _existing(organisation, rows)
    matches: list[Person | None] = []
    for row in rows:
        person = None
        if not row.errors:
            try:
                person = _match(row, existing)
            except ValidationError as exc:
                row.errors.extend(exc.messages)
        matches.append(person)
    # People who work elsewhere may be changed only by those who may edit them: asked of all
    # of them at once rather than row by row.
    elsewhere = {p.pk for p in matches if p is not None and not p.here}
    editable = (
        elsewhere if actor is None or not elsewhere else editable_person_ids(actor, elsewhere)
    )
    plans: list[_Plan] = []
    matched: dict[int, int] = {}
    check = _FieldCheck()
    total = len(rows)
    for done, (row, person) in enumerate(zip(rows, matches, strict=True), start=1):
        if not row.errors:
            if person is not None:
                if person.pk in matched:
                    row.errors.append(
                        _("The same person is already in row %(row)s.")
                        % {"row": matched[person.pk]}
                    )
                elif person.pk in elsewhere and person.pk not in editable:
                    row.errors.append(
                        _(
                            "%(email)s belongs to a person who does not work at this "
                            "organisation; ask the methodological centre to add them."
                        )
                        % {"email": row.email}
                    )
                matched.setdefault(person.pk, row.row)
            if not row.errors:
                plans.append(_plan_row(row, person, check))
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return plans
