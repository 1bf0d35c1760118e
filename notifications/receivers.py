"""Who is told of what: the domain apps' signals turned into notices (connected in apps.ready).

Each receiver asks the sending app's policy who must act now, and never tells the actor of their
own act. The signals are sent once the change is committed (`transaction.on_commit`), so nothing
is told about a change that was rolled back.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import selectors as community_selectors
from communities import signals as community_signals
from communities.models import MembershipRequest
from meetings import ical
from meetings import permissions as meeting_permissions
from meetings import signals as meeting_signals
from meetings.models import Decision, Meeting, Participant
from people.models import Person
from planning import permissions as planning_permissions
from planning import signals as planning_signals
from planning.models import Plan
from planning.workflow import Step

from .delivery import Notice, deliver
from .models import Notification

Kind = Notification.Kind


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def _stamp() -> str:
    return timezone.now().strftime("%Y%m%d%H%M%S%f")


def plan_waiting_notice(plan: Plan) -> Notice:
    """The same key as the periodic reminder, so a plan waiting is told once per step."""
    return Notice(
        Kind.PLAN_WAITING,
        f"plan-{plan.pk}-{plan.status}-{plan.version}",
        lambda: (
            _("The plan of «%(community)s» for %(year)s waits for you")
            % {"community": plan.community.name, "year": plan.school_year_label}
        ),
        reverse("planning:detail", args=[plan.pk]),
    )


def _plan_people(plan: Plan) -> list:
    """The community's leader and the plan's author: those who edit it."""
    ids = {plan.community.leader_id, plan.created_by_id} - {None}
    return list(Person.objects.filter(pk__in=ids))


def on_plan_step(sender, *, plan: Plan, step: str, actor=None, comment: str = "", **kwargs):
    plan = Plan.objects.select_related("community__kind", "community__territory").get(pk=plan.pk)
    url = reverse("planning:detail", args=[plan.pk])
    names = {"community": plan.community.name, "year": plan.school_year_label}
    if step in (Step.DISCUSS, Step.AGREE):
        deliver(planning_permissions.next_step_takers(plan), plan_waiting_notice(plan), actor=actor)
    elif step == Step.APPROVE:
        notice = Notice(
            Kind.PLAN_APPROVED,
            f"plan-{plan.pk}-approved-{plan.version}",
            lambda: _("The plan of «%(community)s» for %(year)s is approved") % names,
            url,
        )
        deliver(_plan_people(plan), notice, actor=actor)
    elif step == Step.SEND_BACK:
        notice = Notice(
            Kind.PLAN_RETURNED,
            f"plan-{plan.pk}-returned-{plan.version}",
            lambda: (
                _("The plan of «%(community)s» for %(year)s was sent back: %(reason)s")
                % {**names, "reason": comment[:300]}
            ),
            url,
        )
        deliver(_plan_people(plan), notice, actor=actor)
    elif step == Step.REVISE:
        notice = Notice(
            Kind.PLAN_REVISED,
            f"plan-{plan.pk}-revision",
            lambda: (
                _("A new revision of the plan of «%(community)s» for %(year)s was started") % names
            ),
            url,
        )
        deliver(_plan_people(plan), notice, actor=actor)


def _meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_related("community__kind", "community__territory", "chair")
        .prefetch_related("questions")
        .get(pk=meeting.pk)
    )


def _participants(meeting: Meeting) -> list:
    """Members and guests invited to the meeting."""
    ids = Participant.objects.filter(meeting=meeting).values("person_id")
    return list(Person.objects.filter(pk__in=ids).order_by("pk"))


def _ics(meeting: Meeting, method: str, attendees) -> list[tuple[str, bytes, str]]:
    content = ical.invitation(meeting, method=method, attendees=attendees)
    return [(f"meeting-{meeting.pk}.ics", content, f"text/calendar; method={method}")]


def _ask_to_agree(meeting: Meeting, actor) -> None:
    """Where the kind says so, the people who may agree the meeting's time and place are asked
    to (004 §3.3), once for each time and place (a move asks again)."""
    agreers = meeting_permissions.time_agreers(meeting)
    if not agreers:
        return
    notice = Notice(
        Kind.MEETING_TO_AGREE,
        f"meeting-{meeting.pk}-to-agree-{meeting.sequence}",
        lambda: (
            _("Agree the time and place of «%(title)s» of «%(community)s»: %(when)s, %(place)s")
            % {
                "title": meeting.title,
                "community": meeting.community.name,
                "when": _when(meeting.starts_at),
                "place": meeting.place or meeting.online_url,
            }
        ),
        reverse("meetings:detail", args=[meeting.pk]),
    )
    deliver(agreers, notice, actor=actor)


def _tell_participants(meeting: Meeting, kind, key: str, text, method: str, actor) -> None:
    """A notice to everyone invited, with the meeting as an iCalendar `method` attachment."""
    people = _participants(meeting)
    url = reverse("meetings:detail", args=[meeting.pk])
    deliver(people, Notice(kind, key, text, url, _ics(meeting, method, people)), actor=actor)


def on_meeting_scheduled(sender, *, meeting: Meeting, actor=None, **kwargs):
    meeting = _meeting(meeting)
    _tell_participants(
        meeting,
        Kind.MEETING_SCHEDULED,
        f"meeting-{meeting.pk}-scheduled",
        lambda: (
            _("Meeting «%(title)s» of «%(community)s» on %(when)s")
            % {
                "title": meeting.title,
                "community": meeting.community.name,
                "when": _when(meeting.starts_at),
            }
        ),
        "REQUEST",
        actor,
    )
    _ask_to_agree(meeting, actor)


def on_meeting_moved(sender, *, meeting: Meeting, actor=None, reason: str = "", **kwargs):
    meeting = _meeting(meeting)
    _tell_participants(
        meeting,
        Kind.MEETING_MOVED,
        f"meeting-{meeting.pk}-moved-{meeting.sequence}-{_stamp()}",
        lambda: (
            _("Meeting «%(title)s» moved to %(when)s, %(place)s: %(reason)s")
            % {
                "title": meeting.title,
                "when": _when(meeting.starts_at),
                "place": meeting.place or meeting.online_url,
                "reason": reason[:200],
            }
        ),
        "REQUEST",
        actor,
    )
    _ask_to_agree(meeting, actor)


def on_meeting_cancelled(sender, *, meeting: Meeting, actor=None, reason: str = "", **kwargs):
    meeting = _meeting(meeting)
    _tell_participants(
        meeting,
        Kind.MEETING_CANCELLED,
        f"meeting-{meeting.pk}-cancelled",
        lambda: (
            _("Meeting «%(title)s» on %(when)s is cancelled: %(reason)s")
            % {"title": meeting.title, "when": _when(meeting.starts_at), "reason": reason[:200]}
        ),
        "CANCEL",
        actor,
    )


def on_minutes_signed(sender, *, minutes, actor=None, **kwargs):
    meeting = minutes.meeting
    notice = Notice(
        Kind.MINUTES_SIGNED,
        f"minutes-{minutes.pk}-signed",
        lambda: (
            _("The minutes № %(number)s of «%(title)s» are signed")
            % {"number": minutes.number, "title": meeting.title}
        ),
        reverse("meetings:detail", args=[meeting.pk]),
    )
    deliver(_participants(meeting), notice, actor=actor)


def _decision_notice(decision: Decision, kind: str, text) -> Notice:
    return Notice(
        kind,
        f"decision-{decision.pk}-{kind}-{_stamp()}",
        text,
        reverse("meetings:decision", args=[decision.pk]),
    )


def on_decision_assigned(sender, *, decision: Decision, actor=None, **kwargs):
    if not decision.assignee_id:
        return
    assignee = Person.objects.filter(pk=decision.assignee_id).first()
    due = f" ({decision.due_on:%d.%m.%Y})" if decision.due_on else ""
    notice = _decision_notice(
        decision,
        Kind.DECISION_ASSIGNED,
        lambda: _("You are responsible for: %(text)s") % {"text": decision.text[:200] + due},
    )
    deliver([assignee], notice, actor=actor)


def on_decision_changed(sender, *, decision: Decision, actor=None, changed=(), **kwargs):
    if not decision.assignee_id:
        return
    assignee = Person.objects.filter(pk=decision.assignee_id).first()
    notice = _decision_notice(
        decision,
        Kind.DECISION_CHANGED,
        lambda: (
            _("A decision you are responsible for changed: %(text)s")
            % {"text": decision.text[:200]}
        ),
    )
    deliver([assignee], notice, actor=actor)


def _request(request: MembershipRequest) -> MembershipRequest:
    return MembershipRequest.objects.select_related(
        "community__kind", "community__territory", "community__leader", "person", "created_by"
    ).get(pk=request.pk)


def on_invitation_sent(sender, *, request: MembershipRequest, actor=None, **kwargs):
    request = _request(request)
    notice = Notice(
        Kind.INVITATION,
        f"request-{request.pk}-invitation",
        lambda: _("You are invited to «%(community)s»") % {"community": request.community.name},
        reverse("dashboard"),
    )
    deliver([request.person], notice, actor=actor)


def on_join_requested(sender, *, request: MembershipRequest, actor=None, **kwargs):
    request = _request(request)
    notice = Notice(
        Kind.JOIN_REQUEST,
        f"request-{request.pk}-join",
        lambda: (
            _("%(person)s asks to join «%(community)s»")
            % {"person": request.person.full_name, "community": request.community.name}
        ),
        reverse("communities:detail", args=[request.community_id]),
    )
    deliver(community_selectors.request_deciders(request), notice, actor=actor)


def on_request_decided(sender, *, request: MembershipRequest, actor=None, **kwargs):
    request = _request(request)
    accepted = request.status == MembershipRequest.Status.ACCEPTED
    if request.direction == MembershipRequest.Direction.INVITATION:
        asker = request.created_by  # who invited
    else:
        asker = request.person  # who asked to join
    names = {"person": request.person.full_name, "community": request.community.name}
    if request.direction == MembershipRequest.Direction.INVITATION:
        text = (
            (lambda: _("%(person)s accepted the invitation to «%(community)s»") % names)
            if accepted
            else (lambda: _("%(person)s declined the invitation to «%(community)s»") % names)
        )
    else:
        text = (
            (lambda: _("Your request to join «%(community)s» was accepted") % names)
            if accepted
            else (lambda: _("Your request to join «%(community)s» was declined") % names)
        )
    notice = Notice(
        Kind.REQUEST_DECIDED,
        f"request-{request.pk}-decided",
        text,
        reverse("communities:detail", args=[request.community_id]),
    )
    deliver([asker], notice, actor=actor)


def connect() -> None:
    connections = [
        (planning_signals.plan_step_taken, on_plan_step),
        (meeting_signals.meeting_scheduled, on_meeting_scheduled),
        (meeting_signals.meeting_moved, on_meeting_moved),
        (meeting_signals.meeting_cancelled, on_meeting_cancelled),
        (meeting_signals.minutes_signed, on_minutes_signed),
        (meeting_signals.decision_assigned, on_decision_assigned),
        (meeting_signals.decision_changed, on_decision_changed),
        (community_signals.invitation_sent, on_invitation_sent),
        (community_signals.join_requested, on_join_requested),
        (community_signals.request_decided, on_request_decided),
    ]
    for signal, receiver in connections:
        signal.connect(receiver, dispatch_uid=f"notifications.{receiver.__name__}")
