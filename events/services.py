"""Writes for events. Each function is one transaction that asks `permissions` for its actor
(`actor=None` is a trusted caller: the demo loader, a reminder run, a test's setup)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import announce, require
from core.rows import match_rows
from core.uploads import check_upload, discard_files_on_commit

from . import attendance, permissions, selectors, signals
from .models import Event, EventKind, Feedback, Material, ProgrammeItem, ProtocolRow, Registration

EDITABLE = (
    "kind",
    "title",
    "description",
    "subject",
    "audience",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "capacity",
    "agenda_item",
    "responsible",
    "parent",
)
# A change of these is told to the registered (and raises the calendar SEQUENCE).
NOTICEABLE = ("starts_at", "ends_at", "place", "online_url")


def _territory_of(*, community, organisation, network, territory):
    if community is not None:
        return community.territory
    if organisation is not None:
        return organisation.territory
    if network is not None:
        return network.territory
    return territory


def _check_times(starts_at, ends_at) -> None:
    if ends_at is not None and ends_at < starts_at:
        raise ValidationError({"ends_at": _("The event cannot end before it starts.")})


def _check_parent(event: Event, parent: Event | None) -> None:
    if parent is None:
        return
    if not parent.kind.is_series:
        raise ValidationError(
            {"parent": _("Only an event with a programme of events (a decade) can hold others.")}
        )
    if parent.pk == event.pk or parent.parent_id is not None:
        raise ValidationError({"parent": _("A programme's event cannot hold events itself.")})


def _check_links(actor, *, parent=None, agenda_item=None) -> None:
    """An event joins only a decade its organiser runs, and carries out only an item of a plan
    its organiser may tick."""
    if actor is None:
        return
    if parent is not None and not permissions.may_manage(actor, parent):
        raise ValidationError({"parent": _("Choose a decade you organise.")})
    if agenda_item is not None:
        from planning import permissions as planning_permissions

        if not planning_permissions.may_mark_done(actor, agenda_item.meeting.plan):
            raise ValidationError(
                {"agenda_item": _("Choose an item of a plan of a community you run.")}
            )


def create_event(
    *,
    actor,
    kind: EventKind,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    organiser_community=None,
    organiser_organisation=None,
    organiser_network=None,
    organiser_territory=None,
    audience: str = Event.Audience.OPEN,
    description: str = "",
    subject: str = "",
    agenda_item=None,
    **more,
) -> Event:
    """A draft event of one organiser; `more` may set place, online_url, capacity, parent and
    responsible (the actor by default)."""
    organisers = [
        o
        for o in (
            organiser_community,
            organiser_organisation,
            organiser_network,
            organiser_territory,
        )
        if o is not None
    ]
    if len(organisers) != 1:
        raise ValidationError(_("Name exactly one organiser of the event."))
    unknown = set(more) - {"place", "online_url", "capacity", "parent", "responsible"}
    if unknown:
        raise TypeError(f"create_event() got unexpected arguments: {sorted(unknown)}")
    require(
        actor,
        lambda: permissions.can_create_for(
            actor,
            community=organiser_community,
            organisation=organiser_organisation,
            network=organiser_network,
            territory=organiser_territory,
        ),
    )
    _check_times(starts_at, ends_at)
    if audience == Event.Audience.MEMBERS and organiser_community is None:
        raise ValidationError({"audience": _("Only a community's event can be for its members.")})
    if audience == Event.Audience.SCHOOL and not (
        organiser_organisation or (organiser_community and organiser_community.organisation_id)
    ):
        raise ValidationError({"audience": _("Only a school's event can be for its teachers.")})
    if audience == Event.Audience.NETWORK and not (
        organiser_network or (organiser_community and organiser_community.network_id)
    ):
        raise ValidationError({"audience": _("Only a network's event can be for its schools.")})
    more.setdefault("responsible", actor)
    _check_links(actor, parent=more.get("parent"), agenda_item=agenda_item)
    with transaction.atomic():
        event = Event(
            kind=kind,
            title=title.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            organiser_community=organiser_community,
            organiser_organisation=organiser_organisation,
            organiser_network=organiser_network,
            organiser_territory=organiser_territory,
            territory=_territory_of(
                community=organiser_community,
                organisation=organiser_organisation,
                network=organiser_network,
                territory=organiser_territory,
            ),
            audience=audience,
            description=description,
            subject=subject.strip(),
            agenda_item=agenda_item,
            created_by=actor,
            **more,
        )
        _check_parent(event, event.parent)
        event.save()
    return event


def update_event(*, actor, event: Event, **fields) -> list[str]:
    """Change the event's details; returns the names of the fields that changed."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"update_event() got unexpected arguments: {sorted(unknown)}")
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        require(actor, lambda: permissions.can_edit(actor, event))
        changed = [name for name, value in fields.items() if getattr(event, name) != value]
        for name in changed:
            setattr(event, name, fields[name])
        _check_times(event.starts_at, event.ends_at)
        if "parent" in changed:
            _check_parent(event, event.parent)
        _check_links(
            actor,
            parent=event.parent if "parent" in changed else None,
            agenda_item=event.agenda_item if "agenda_item" in changed else None,
        )
        noticed = [n for n in changed if n in NOTICEABLE]
        if noticed:
            event.sequence += 1
        if changed:
            event.save()
        if noticed and event.status == Event.Status.ANNOUNCED:
            announce(signals.event_changed, Event, event=event, changed=noticed, actor=actor)
        if "capacity" in changed:
            _promote(event, actor)
    return changed


def save_programme(*, actor, event: Event, rows: Iterable[dict]) -> None:
    """Rows of {id?, time, title, speaker, speaker_name}; kept rows keep their ids."""
    with transaction.atomic():
        require(actor, lambda: permissions.can_edit(actor, event))
        pairs, removed = match_rows(event.programme.all(), rows, field="programme")
        for obj in removed:
            obj.delete()
        for order, (obj, row) in enumerate(pairs):
            if not (row.get("title") or "").strip():
                raise ValidationError(
                    {"programme": _("Row %(n)s needs a title.") % {"n": order + 1}}
                )
            obj = obj or ProgrammeItem(event=event)
            obj.order = order
            obj.time = row.get("time")
            obj.title = row["title"].strip()
            obj.speaker = row.get("speaker")
            obj.speaker_name = (row.get("speaker_name") or "").strip()
            obj.save()


def announce_event(*, actor, event: Event) -> Event:
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        require(actor, lambda: permissions.can_announce(actor, event))
        if event.status != Event.Status.DRAFT:
            return event
        event.status = Event.Status.ANNOUNCED
        event.save(update_fields=["status"])
        announce(signals.event_announced, Event, event=event, actor=actor)
    return event


def cancel_event(*, actor, event: Event, reason: str = "") -> Event:
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        require(actor, lambda: permissions.can_cancel(actor, event))
        if event.status == Event.Status.CANCELLED:
            return event
        was_announced = event.status == Event.Status.ANNOUNCED
        event.status = Event.Status.CANCELLED
        event.sequence += 1
        event.save(update_fields=["status", "sequence"])
        if was_announced:
            announce(signals.event_cancelled, Event, event=event, reason=reason, actor=actor)
    return event


def _promote(event: Event, actor) -> list[Registration]:
    """Give freed places to the waiting list, first come first served (inside the caller's
    transaction, with the event row locked)."""
    promoted = []
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - selectors.taken_places(event)
        if free <= 0:
            return promoted
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "queued_at", "id"
    )
    for registration in waiting[:free] if free is not None else waiting:
        registration.status = Registration.Status.REGISTERED
        registration.save(update_fields=["status"])
        promoted.append(registration)
        announce(signals.event_place_given, Event, registration=registration, actor=actor)
    return promoted


def register(*, actor, event: Event) -> Registration:
    """Register the actor: a place while there are places, else the end of the waiting list.
    Registering twice returns the same registration."""
    with transaction.atomic():
        # The event row is the lock that makes capacity hold under concurrent registrations.
        event = Event.objects.select_for_update().get(pk=event.pk)
        existing = Registration.objects.filter(event=event, person=actor).first()
        if existing is not None and existing.status in permissions.ACTIVE:
            return existing
        if not permissions.can_register(actor, event):
            raise PermissionDenied
        full = event.capacity is not None and selectors.taken_places(event) >= event.capacity
        status = Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED
        registration = existing or Registration(event=event, person=actor)
        registration.status = status
        registration.queued_at = timezone.now()
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            return Registration.objects.get(event=event, person=actor)
        announce(signals.registered, Event, registration=registration, actor=actor)
    return registration


def cancel_registration(*, actor, event: Event) -> Registration | None:
    """The actor withdraws; a freed place goes to the first waiting, who is told."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        registration = Registration.objects.filter(
            event=event, person=actor, status__in=permissions.ACTIVE
        ).first()
        if registration is None:
            return None
        require(actor, lambda: permissions.can_cancel_registration(actor, event))
        registration.status = Registration.Status.CANCELLED
        registration.attended = False
        registration.save(update_fields=["status", "attended"])
        _promote(event, actor)
    return registration


def waiting_place(registration: Registration) -> int | None:
    """The registrant's place in the waiting list (1 is next), or None when not waiting."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        Q(queued_at__lt=registration.queued_at)
        | Q(queued_at=registration.queued_at, id__lt=registration.pk),
        event_id=registration.event_id,
        status=Registration.Status.WAITLISTED,
    )
    return ahead.count() + 1


def mark_attendance(*, actor, event: Event, present: Iterable[int]) -> int:
    """The organiser's tick list: `present` are the person ids present among the registered;
    the others are marked absent. Returns how many are present."""
    present = {int(pk) for pk in present}
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        require(actor, lambda: permissions.can_mark_attendance(actor, event))
        now = timezone.now()
        count = 0
        for registration in event.registrations.filter(status=Registration.Status.REGISTERED):
            here = registration.person_id in present
            count += here
            if here == registration.attended:
                continue
            registration.attended = here
            registration.attended_at = now if here else None
            registration.marked_by = Registration.Marked.ORGANISER if here else ""
            registration.save(update_fields=["attended", "attended_at", "marked_by"])
    return count


def check_in(*, actor, event: Event, code: str) -> Registration:
    """The participant scanned the organiser's QR code: present, if the code is current."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not permissions.can_check_in(actor, event):
            raise ValidationError(
                _("Only a person registered for this event can mark their presence.")
            )
        if not attendance.is_valid(event, code):
            raise ValidationError(
                _(
                    "This code has expired: it changes every %(n)s seconds. Scan the code shown "
                    "at the event now."
                )
                % {"n": attendance.WINDOW_SECONDS}
            )
        registration = Registration.objects.get(event=event, person=actor)
        if registration.status == Registration.Status.WAITLISTED:
            raise ValidationError(_("You are on the waiting list: ask the organiser for a place."))
        if not registration.attended:
            registration.attended = True
            registration.attended_at = timezone.now()
            registration.marked_by = Registration.Marked.QR
            registration.save(update_fields=["attended", "attended_at", "marked_by"])
    return registration


def close_attendance(*, actor, event: Event) -> Event:
    """The organiser marks the event held: attendance is final, certificates may be issued."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        require(actor, lambda: permissions.can_close_attendance(actor, event))
        if event.status == Event.Status.HELD:
            return event
        if event.status != Event.Status.ANNOUNCED:
            raise ValidationError(_("Only an announced event can be marked held."))
        event.status = Event.Status.HELD
        event.held_at = timezone.now()
        event.save(update_fields=["status", "held_at"])
        if event.agenda_item_id and not event.agenda_item.done and actor is not None:
            # The plan's item is carried out: ticked done where the organiser may tick it.
            from planning import permissions as planning_permissions
            from planning import services as planning_services

            item = event.agenda_item
            plan = item.meeting.plan
            if plan.status in (plan.Status.APPROVED, plan.Status.DRAFT) and (
                planning_permissions.may_mark_done(actor, plan)
            ):
                planning_services.set_item_done(actor=actor, item=item, done=True)
        announce(signals.event_held, Event, event=event, actor=actor)
    return event


def leave_feedback(
    *, actor, event: Event, rating: int, usefulness: int, comment: str = ""
) -> Feedback:
    for name, value in (("rating", rating), ("usefulness", usefulness)):
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise ValidationError({name: _("Choose a rating from 1 to 5.")})
    with transaction.atomic():
        existing = Feedback.objects.filter(event=event, person=actor).first()
        if existing is not None:
            return existing
        require(actor, lambda: permissions.can_leave_feedback(actor, event))
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(
                    event=event,
                    person=actor,
                    rating=rating,
                    usefulness=usefulness,
                    comment=comment.strip(),
                )
            announce(signals.feedback_left, Event, feedback=feedback, actor=actor)
            return feedback
        except IntegrityError:
            return Feedback.objects.get(event=event, person=actor)


def save_analysis(*, actor, event: Event, analysis: str) -> None:
    with transaction.atomic():
        require(actor, lambda: permissions.can_analyse(actor, event))
        Event.objects.filter(pk=event.pk).update(analysis=analysis.strip())
        event.analysis = analysis.strip()


def add_material(
    *, actor, event: Event, kind: str, title: str, file=None, url: str = "", is_photo: bool = False
) -> Material:
    if kind == Material.Kind.FILE or is_photo:
        if file is None:
            raise ValidationError({"file": _("Choose a file.")})
        allowed = ("png", "jpg") if is_photo else None
        if allowed:
            check_upload(file, allowed=allowed)
        else:
            check_upload(file)
        kind = Material.Kind.FILE
        url = ""
    else:
        if not url:
            raise ValidationError({"url": _("Give the link.")})
        file = None
    title = title.strip() or (getattr(file, "name", "") or url)[:300]
    with transaction.atomic():
        require(actor, lambda: permissions.can_analyse(actor, event))
        material = Material(
            event=event, kind=kind, title=title, url=url, is_photo=is_photo, added_by=actor
        )
        if file is not None:
            material.file = file
        material.save()
    return material


def remove_material(*, actor, material: Material) -> None:
    with transaction.atomic():
        require(actor, lambda: permissions.can_analyse(actor, material.event))
        files = [material.file]
        material.delete()
        discard_files_on_commit(files)


def _clean_protocol_row(number: int, row: dict) -> dict:
    first = (row.get("first_name") or "").strip()
    initial = (row.get("initial") or "").strip().rstrip(".")
    school_class = (row.get("school_class") or "").strip()
    errors = []
    if not first or len(first) > 50 or " " in first:
        errors.append(_("Row %(n)s: give the pupil's first name only.") % {"n": number})
    if len(initial) != 1 or not initial.isalpha():
        errors.append(
            _("Row %(n)s: give only the first letter of the family name.") % {"n": number}
        )
    if not school_class or len(school_class) > 10:
        errors.append(_("Row %(n)s: give the class (e.g. 9Б).") % {"n": number})
    try:
        score = Decimal(str(row.get("score")).replace(",", "."))
        if score < 0 or score >= 10000:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors.append(_("Row %(n)s: the score must be a number.") % {"n": number})
        score = None
    place = row.get("place")
    if place in ("", None):
        place = None
    else:
        try:
            place = int(place)
            if place < 1:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(_("Row %(n)s: the place must be a whole number from 1.") % {"n": number})
    if errors:
        raise ValidationError({"protocol": errors})
    return {
        "first_name": first,
        "initial": initial.upper(),
        "school_class": school_class,
        "score": score,
        "place": place,
    }


def save_protocol(*, actor, event: Event, rows: Iterable[dict]) -> None:
    """The olympiad stage's protocol rows (first name, initial, class, score, place)."""
    if not event.kind.has_protocol:
        raise ValidationError(_("This kind of event keeps no protocol."))
    with transaction.atomic():
        require(actor, lambda: permissions.can_analyse(actor, event))
        pairs, removed = match_rows(event.protocol.all(), rows, field="protocol")
        cleaned = [(obj, _clean_protocol_row(n, row)) for n, (obj, row) in enumerate(pairs, 1)]
        for obj in removed:
            obj.delete()
        for order, (obj, values) in enumerate(cleaned):
            obj = obj or ProtocolRow(event=event)
            obj.order = order
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()
