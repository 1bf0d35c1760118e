"""Reminders: before a meeting, before and after a decision's due date, and when a plan waits.

`send_reminders` may run any number of times: each reminder has a key, unique per recipient,
so a second run finds it already there and neither stores nor emails it again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities.models import CommunityKind, Membership
from meetings.models import Decision, Meeting, Participant
from people.models import Person, RoleAssignment
from planning import permissions as planning_permissions
from planning import workflow
from planning.models import Plan

from .models import Notification

MEETING_AHEAD = dt.timedelta(hours=24)
DUE_AHEAD_DAYS = 3


@dataclass
class Reminder:
    recipient_id: int
    kind: str
    key: str
    text: str
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
                    _("Meeting «%(title)s» on %(when)s") % {"title": meeting.title, "when": when},
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
                        _("Overdue since %(due)s: %(text)s") % {"due": due, "text": d.text[:200]},
                        f"/decisions/{d.pk}/",
                    )
                )
        elif assignee is not None:
            out.append(
                Reminder(
                    assignee,
                    Notification.Kind.DECISION_DUE,
                    f"decision-{d.pk}-due-{d.due_on:%Y%m%d}",
                    _("Due %(due)s: %(text)s") % {"due": due, "text": d.text[:200]},
                    f"/decisions/{d.pk}/",
                )
            )
    return out


def _candidates(plan: Plan) -> Q:
    """Role assignments that may hold the plan's next step; the policy decides among them."""
    community = plan.community
    ancestors = community.territory.ancestor_ids()
    if plan.status == Plan.Status.DISCUSSED and community.organisation_id:
        return Q(role=RoleAssignment.Role.SCHOOL_ADMIN, organisation_id=community.organisation_id)
    approver = community.kind.plan_approver
    if approver == CommunityKind.Approver.SCHOOL_ADMIN and community.organisation_id:
        return Q(role=RoleAssignment.Role.SCHOOL_ADMIN, organisation_id=community.organisation_id)
    if approver == CommunityKind.Approver.COORDINATOR and community.network_id:
        return Q(role=RoleAssignment.Role.COORDINATOR, network_id=community.network_id)
    q = Q(role=RoleAssignment.Role.CENTRE_ADMIN, territory_id__in=ancestors)
    if approver == CommunityKind.Approver.CURATOR:
        q |= Q(role=RoleAssignment.Role.CURATOR, territory_id__in=ancestors)
    return q


def _approvers(plan: Plan, people: dict[int, Person]) -> list[int]:
    """Who takes the plan's next step, as the plan's policy answers it (so the deputy who agreed
    is not asked to approve too). `people` keeps each person, and their scopes, across plans."""
    ids = set(RoleAssignment.objects.filter(_candidates(plan)).values_list("person_id", flat=True))
    missing = ids - people.keys()
    people.update(Person.objects.in_bulk(missing))
    steps = [row for row in workflow.next_steps(plan) if row.step != workflow.Step.SEND_BACK]
    return sorted(
        pk
        for pk in ids
        if pk in people
        and any(planning_permissions.step_allowed(people[pk], plan, row) for row in steps)
    )


def _plan_reminders() -> list[Reminder]:
    plans = Plan.objects.filter(
        status__in=[Plan.Status.DISCUSSED, Plan.Status.AGREED]
    ).select_related("community__kind", "community__territory")
    out = []
    people: dict[int, Person] = {}
    for plan in plans:
        for person_id in _approvers(plan, people):
            out.append(
                Reminder(
                    person_id,
                    Notification.Kind.PLAN_WAITING,
                    f"plan-{plan.pk}-{plan.status}-{plan.version}",
                    _("The plan of «%(community)s» for %(year)s waits for you")
                    % {"community": plan.community.name, "year": plan.school_year_label},
                    f"/plans/{plan.pk}/",
                )
            )
    return out


def _deliver(reminder: Reminder, people: dict[int, Person]) -> bool:
    """Store the notice and email it, once. Returns False when it already existed."""
    person = people.get(reminder.recipient_id)
    if person is None or not person.is_active:
        return False
    try:
        with transaction.atomic():
            notice = Notification.objects.create(
                recipient=person,
                kind=reminder.kind,
                key=reminder.key,
                text=reminder.text,
                url=reminder.url,
            )
    except IntegrityError:
        return False  # sent by an earlier run
    if person.email:
        base = settings.SITE_URL.rstrip("/")
        send_mail(
            subject=f"Collegium: {reminder.text[:120]}",
            message=f"{reminder.text}\n\n{base}{reminder.url}",
            from_email=None,
            recipient_list=[person.email],
            fail_silently=True,
        )
        Notification.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
    return True


def send_reminders(now: dt.datetime | None = None) -> int:
    """Find everything due for a reminder and deliver what has not been delivered yet."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        reminders = (
            _meeting_reminders(now)
            + _decision_reminders(timezone.localdate(now))
            + _plan_reminders()
        )
        people = Person.objects.in_bulk({r.recipient_id for r in reminders})
        return sum(_deliver(r, people) for r in reminders)


@transaction.atomic
def mark_read(*, person, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
