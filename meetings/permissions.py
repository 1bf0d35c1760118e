"""Who may see and run meetings, write and sign minutes, and move decisions along.

A meeting, its minutes, decisions and exports are seen by whoever may see the community's members
(``communities.permissions``), plus a guest invited explicitly to that one meeting. Being on the
participant list as a member gives nothing of its own: a member removed from a members-only
community loses its meetings at once, also from their calendar feed and their list of decisions.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from communities import permissions as community_permissions
from communities.models import Community, Membership
from communities.selectors import administered_communities, host_administrators
from core.scopes import scopes_for

from .models import Attachment, Decision, Meeting, Participant


def is_invited(user, meeting: Meeting) -> bool:
    return (
        bool(user and user.is_authenticated)
        and Participant.objects.filter(meeting=meeting, person_id=user.pk).exists()
    )


def is_guest(user, meeting: Meeting) -> bool:
    return (
        bool(user and user.is_authenticated)
        and Participant.objects.filter(meeting=meeting, person_id=user.pk, is_guest=True).exists()
    )


def can_view(user, meeting: Meeting) -> bool:
    return community_permissions.can_view_members(user, meeting.community) or is_guest(
        user, meeting
    )


def can_view_decision(user, decision: Decision) -> bool:
    return community_permissions.can_view_members(user, decision.community) or is_guest(
        user, decision.meeting
    )


def _guest_q(user, meeting_ref: str) -> Q:
    return Q(
        Exists(
            Participant.objects.filter(
                meeting_id=OuterRef(meeting_ref), person_id=user.pk, is_guest=True
            )
        )
    )


def _visible_communities(user):
    return community_permissions.filter_visible(user, Community.objects.all()).values("pk")


def visible_meetings_q(user) -> Q:
    """The list form of ``can_view``, for querysets of meetings."""
    if not (user and user.is_authenticated):
        return Q(pk__in=[])
    return Q(community__in=_visible_communities(user)) | _guest_q(user, "pk")


def visible_decisions_q(user) -> Q:
    """The list form of ``can_view_decision``, for querysets of decisions."""
    if not (user and user.is_authenticated):
        return Q(pk__in=[])
    return Q(community__in=_visible_communities(user)) | _guest_q(user, "meeting_id")


def can_schedule(user, community) -> bool:
    return community_permissions.can_edit(user, community)


def can_write_minutes(user, meeting: Meeting) -> bool:
    """The leader, a secretary of the community, or its administrators."""
    if community_permissions.can_edit(user, meeting.community):
        return True
    return community_permissions.member_role(user, meeting.community) == Membership.Role.SECRETARY


def minutes_writers_q(user) -> Q:
    """The list form of ``can_write_minutes``, for querysets of meetings: of active communities
    the person leads, administers, or is a secretary of."""
    if not (user and user.is_authenticated):
        return Q(pk__in=[])
    secretary = Membership.objects.filter(
        community_id=OuterRef("community_id"), person_id=user.pk, role=Membership.Role.SECRETARY
    )
    return Q(community__status=Community.Status.ACTIVE) & (
        Q(community__in=administered_communities(user).values("pk")) | Q(Exists(secretary))
    )


def can_sign_minutes(user, minutes) -> bool:
    """The community's leader signs its minutes (once)."""
    return (
        bool(user and user.is_authenticated)
        and not minutes.is_signed
        and minutes.community.leader_id == user.pk
    )


def minutes_signers_q(user) -> Q:
    """The list form of ``can_sign_minutes``, for querysets of meetings."""
    if not (user and user.is_authenticated):
        return Q(pk__in=[])
    return Q(community__leader_id=user.pk)


def can_manage(user, meeting: Meeting) -> bool:
    return community_permissions.can_edit(user, meeting.community)


def can_move(user, meeting: Meeting) -> bool:
    """Who schedules may move a meeting while it is scheduled; a held one stays where it was."""
    return meeting.status == Meeting.Status.SCHEDULED and can_manage(user, meeting)


def can_cancel(user, meeting: Meeting) -> bool:
    """Who schedules may call a scheduled meeting off; a held one has its minutes instead."""
    return meeting.status == Meeting.Status.SCHEDULED and can_manage(user, meeting)


def agrees_times(user, meeting: Meeting) -> bool:
    """The school's administration (the deputy director, the director) of the community's host
    organisation, or the centre above it: the role decides, not leading the community."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    community = meeting.community
    return community.organisation_id in scopes.school_admin_orgs or scopes.in_centre(
        community.territory.path
    )


def can_agree_time(user, meeting: Meeting) -> bool:
    """Where the kind says so, the leader agrees a meeting's time and place with the deputy
    director (004 §3.3): a scheduled meeting not agreed yet, by the host school's administration
    or the centre above it."""
    return meeting.needs_time_agreement and agrees_times(user, meeting)


def time_agreers(meeting: Meeting) -> list:
    """Who is asked to agree the meeting's time and place: the host school's administration
    (`communities.selectors.host_administrators`) who may, by `can_agree_time`. The centre above
    may agree too, but is not asked."""
    if not meeting.needs_time_agreement:
        return []
    return [p for p in host_administrators(meeting.community) if can_agree_time(p, meeting)]


def time_agreers_q(user) -> Q:
    """The list form of `can_agree_time` for the host school's administration: scheduled
    meetings of the schools the person administers, of a kind whose meetings' time is agreed,
    not agreed yet."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated or not scopes.school_admin_orgs:
        return Q(pk__in=[])
    return Q(
        status=Meeting.Status.SCHEDULED,
        time_agreed_at__isnull=True,
        community__kind__meeting_time_agreed=True,
        community__organisation_id__in=scopes.school_admin_orgs,
    )


def minutes_open(meeting: Meeting) -> bool:
    """Minutes are written from the meeting's start, never for a cancelled meeting."""
    return meeting.status != Meeting.Status.CANCELLED and meeting.starts_at <= timezone.now()


def may_write_minutes_now(user, meeting: Meeting) -> bool:
    return minutes_open(meeting) and can_write_minutes(user, meeting)


def can_reply(user, meeting: Meeting) -> bool:
    """An invited person answers "will you come?" until the meeting starts."""
    return (
        meeting.status == Meeting.Status.SCHEDULED
        and meeting.starts_at > timezone.now()
        and is_invited(user, meeting)
        and can_view(user, meeting)
    )


def can_update_decision(user, decision: Decision) -> bool:
    if not (user and user.is_authenticated):
        return False
    if community_permissions.can_edit(user, decision.community):
        return True
    return decision.assignee_id == user.pk and can_view_decision(user, decision)


def can_view_attachment(user, attachment: Attachment) -> bool:
    """Evidence is as private as what it proves: the decision, or the plan of the item."""
    if attachment.decision_id is not None:
        return can_view_decision(user, attachment.decision)
    if attachment.plan_item_id is not None:
        from planning import permissions as planning_permissions

        return planning_permissions.can_view(user, attachment.plan_item.meeting.plan)
    return bool(user and user.is_superuser)
