"""Who may see and run meetings, write and sign minutes, and move decisions along."""

from __future__ import annotations

from communities import permissions as community_permissions
from communities.models import Membership

from .models import Attachment, Decision, Meeting, Participant


def is_invited(user, meeting: Meeting) -> bool:
    return (
        bool(user and user.is_authenticated)
        and Participant.objects.filter(meeting=meeting, person_id=user.pk).exists()
    )


def can_view(user, meeting: Meeting) -> bool:
    return community_permissions.can_view_members(user, meeting.community) or is_invited(
        user, meeting
    )


def can_schedule(user, community) -> bool:
    return community_permissions.can_edit(user, community)


def can_write_minutes(user, meeting: Meeting) -> bool:
    """The leader, a secretary of the community, or its administrators."""
    if community_permissions.can_edit(user, meeting.community):
        return True
    return community_permissions.member_role(user, meeting.community) == Membership.Role.SECRETARY


def can_manage(user, meeting: Meeting) -> bool:
    return community_permissions.can_edit(user, meeting.community)


def can_reply(user, meeting: Meeting) -> bool:
    return meeting.status == Meeting.Status.SCHEDULED and is_invited(user, meeting)


def can_update_decision(user, decision: Decision) -> bool:
    if not (user and user.is_authenticated):
        return False
    return decision.assignee_id == user.pk or community_permissions.can_edit(
        user, decision.community
    )


def can_view_decision(user, decision: Decision) -> bool:
    if not (user and user.is_authenticated):
        return False
    return decision.assignee_id == user.pk or community_permissions.can_view_members(
        user, decision.community
    )


def can_view_attachment(user, attachment: Attachment) -> bool:
    """Evidence is as private as what it proves: the decision, or the plan of the item."""
    if attachment.decision_id is not None:
        return can_view_decision(user, attachment.decision)
    if attachment.plan_item_id is not None:
        from planning import permissions as planning_permissions

        return planning_permissions.can_view(user, attachment.plan_item.meeting.plan)
    return bool(user and user.is_superuser)
