"""Reminders: before a meeting, before and after a decision's due date, when a plan waits, when
a community falls behind its meeting cadence, and when a consultation question is overdue; and
marking notices read.

`send_reminders` may run any number of times: each reminder has a key, unique per recipient,
so a second run finds it already there and neither stores nor emails it again. Reminders are
delivered like every notice (`delivery.deliver`), as each recipient chose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import selectors as community_selectors
from communities.models import Community, Membership
from meetings import cadence
from meetings.models import Decision, Meeting, Participant
from people.models import Person
from planning import permissions as planning_permissions
from planning.models import Plan

from . import consultations_notices, discussions_notices, events_notices, reports_notices
from .delivery import Delivery, Notice, deliver
from .models import Notification, Preference
from .receivers import plan_waiting_notice

MEETING_AHEAD = dt.timedelta(hours=24)
DUE_AHEAD_DAYS = 3


@dataclass
class Reminder:
    recipient_id: int
    kind: str
    key: str
    text: str | Callable[[], str]
    url: str


def _still_involved(community_ref: str, person_ref: str, meeting_ref: str) -> Q:
    """A current member, or a guest of the meeting: a removed member is reminded of nothing."""
    member = Membership.objects.filter(
        community_id=OuterRef(community_ref), person_id=OuterRef(person_ref)
    )
    guest = Participant.objects.filter(
        meeting_id=OuterRef(meeting_ref), person_id=OuterRef(person_ref), is_guest=True
    )
    return Q(Exists(member)) | Q(Exists(guest))


def _meeting_reminders(now: dt.datetime) -> list[Reminder]:
    involved = Participant.objects.filter(
        _still_involved("meeting__community_id", "person_id", "meeting_id")
    )
    meetings = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=now + MEETING_AHEAD
    ).prefetch_related(Prefetch("participants", queryset=involved))
    out = []
    for meeting in meetings:
        when = timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y %H:%M")
        for participant in meeting.participants.all():
            if participant.reply == participant.Reply.NO:
                continue
            out.append(
                Reminder(
                    participant.person_id,
                    Notification.Kind.MEETING_SOON,
                    f"meeting-{meeting.pk}-24h",
                    lambda meeting=meeting, when=when: (
                        _("Meeting «%(title)s» on %(when)s")
                        % {"title": meeting.title, "when": when}
                    ),
                    f"/meetings/{meeting.pk}/",
                )
            )
    return out


def _decision_reminders(today: dt.date) -> list[Reminder]:
    decisions = (
        Decision.objects.filter(
            assignee__isnull=False,
            due_on__isnull=False,
            due_on__lte=today + dt.timedelta(DUE_AHEAD_DAYS),
        )
        .exclude(status=Decision.Status.DONE)
        .select_related("community")
        .annotate(assignee_involved=Exists(Decision.objects.filter(
            pk=OuterRef("pk")).filter(_still_involved("community_id", "assignee_id", "meeting_id"))
        ))
    )  # fmt: skip
    out = []
    for d in decisions:
        due = d.due_on.strftime("%d.%m.%Y")
        assignee = d.assignee_id if d.assignee_involved else None
        if d.due_on < today:
            recipients = {assignee, d.community.leader_id} - {None}
            for recipient in recipients:
                out.append(
                    Reminder(
                        recipient,
                        Notification.Kind.DECISION_OVERDUE,
                        f"decision-{d.pk}-overdue-{d.due_on:%Y%m%d}",
                        lambda d=d, due=due: (
                            _("Overdue since %(due)s: %(text)s")
                            % {"due": due, "text": d.text[:200]}
                        ),
                        f"/decisions/{d.pk}/",
                    )
                )
        elif assignee is not None:
            out.append(
                Reminder(
                    assignee,
                    Notification.Kind.DECISION_DUE,
                    f"decision-{d.pk}-due-{d.due_on:%Y%m%d}",
                    lambda d=d, due=due: (
                        _("Due %(due)s: %(text)s") % {"due": due, "text": d.text[:200]}
                    ),
                    f"/decisions/{d.pk}/",
                )
            )
    return out


def _plan_reminders() -> list[Reminder]:
    """Plans waiting to be agreed or approved, to whoever the plan's policy names."""
    plans = Plan.objects.filter(
        status__in=[Plan.Status.DISCUSSED, Plan.Status.AGREED]
    ).select_related("community__kind", "community__territory")
    out = []
    people: dict[int, Person] = {}
    for plan in plans:
        notice = plan_waiting_notice(plan)
        for person in planning_permissions.next_step_takers(plan, people):
            out.append(Reminder(person.pk, notice.kind, notice.key, notice.text, notice.url))
    return out


def _cadence_reminders(today: dt.date) -> list[Reminder]:
    """Communities behind their kind's meeting cadence: their leader and their host's
    administrators are told once a quarter."""
    quarter = (today.month - 1) // 3 + 1
    behind = cadence.behind_in_sql(Community.objects.all(), today).select_related(
        "kind", "territory"
    )
    out = []
    hosts: dict[tuple, set[int]] = {}  # communities of one host share its administrators
    for community in behind:
        host = (
            community.organisation_id,
            community.network_id,
            community.territory_id,
            community.kind.curated,
        )
        if host not in hosts:
            hosts[host] = {p.pk for p in community_selectors.host_administrators(community)}
        recipients = set(hosts[host])
        if community.leader_id:
            recipients.add(community.leader_id)
        for person_id in sorted(recipients):
            out.append(
                Reminder(
                    person_id,
                    Notification.Kind.CADENCE_BEHIND,
                    f"cadence-{community.pk}-{today.year}-q{quarter}",
                    lambda community=community: (
                        _("«%(community)s» is behind its meeting cadence")
                        % {"community": community.name}
                    ),
                    reverse("communities:detail", args=[community.pk]),
                )
            )
    return out


def _deliver(reminder: Reminder, people: dict[int, Person]) -> bool:
    """Store the notice and deliver it as the person chose, once. False when it existed."""
    person = people.get(reminder.recipient_id)
    if person is None:
        return False
    notice = Notice(reminder.kind, reminder.key, reminder.text, reminder.url)
    return bool(deliver([person], notice))


def send_reminders(now: dt.datetime | None = None) -> int:
    """Find everything due for a reminder and deliver what has not been delivered yet."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminders = (
        _meeting_reminders(now)
        + _decision_reminders(today)
        + _plan_reminders()
        + _cadence_reminders(today)
    )
    people = Person.objects.in_bulk({r.recipient_id for r in reminders})
    sent = sum(_deliver(r, people) for r in reminders)
    sent += events_notices.reminders(now) + reports_notices.reminders(today)
    sent += discussions_notices.reminders(today)
    sent += discussions_notices.closed_polls(now)
    return sent + consultations_notices.reminders(today)


@transaction.atomic
def mark_read(*, person, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def open_notification(*, person, pk: int) -> Notification | None:
    """The person's own notice, marked read; None when it is not theirs."""
    notification = Notification.objects.filter(recipient=person, pk=pk).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def preferences_of(person) -> dict[str, str]:
    """Every kind with the delivery the person chose for it (or the default)."""
    chosen = dict(Preference.objects.filter(person=person).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, Delivery.EMAIL) for kind in Notification.Kind.values}


@transaction.atomic
def set_preferences(*, person, choices: dict[str, str]) -> None:
    """Save the person's choice per kind; unknown kinds or deliveries are refused whole."""
    bad = [
        k for k, v in choices.items()
        if k not in Notification.Kind.values or v not in Delivery.values
    ]  # fmt: skip
    if bad:
        raise ValidationError(_("Choose one of the offered ways for each kind of notice."))
    for kind, delivery in choices.items():
        Preference.objects.update_or_create(
            person=person, kind=kind, defaults={"delivery": delivery}
        )
