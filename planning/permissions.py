"""Who may see, edit and move a plan through its approval (004 §3.2; 003 app. 4 §4.5)."""

from __future__ import annotations

from communities import permissions as community_permissions
from communities.models import CommunityKind, Membership
from core.scopes import scopes_for

from . import selectors, workflow
from .models import Plan
from .workflow import Role, Step, Transition

Approver = CommunityKind.Approver


def can_view(user, plan: Plan) -> bool:
    return community_permissions.can_view_members(user, plan.community)


def can_create(user, community) -> bool:
    return community_permissions.can_edit(user, community)


def can_edit(user, plan: Plan) -> bool:
    return plan.status == Plan.Status.DRAFT and community_permissions.can_edit(user, plan.community)


def may_mark_done(user, plan: Plan) -> bool:
    """Ticking the plan's agenda items done: its editors, and the community's secretary, who
    ticks them from the minutes. Execution is a record of the year, not a change of plan, so an
    approved plan takes it (a draft too, as it is being prepared)."""
    if plan.status not in (Plan.Status.APPROVED, Plan.Status.DRAFT):
        return False
    if community_permissions.can_edit(user, plan.community):
        return True
    return community_permissions.member_role(user, plan.community) == Membership.Role.SECRETARY


def may_record_actual(user, plan: Plan) -> bool:
    """A target's actual value is a measurement taken during the year on the approved plan, by
    those who may edit the plan's content; it needs no revision."""
    return plan.status == Plan.Status.APPROVED and community_permissions.can_edit(
        user, plan.community
    )


def _is_approver(user, plan: Plan) -> bool:
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    if scopes.is_superuser:
        return True
    community = plan.community
    path = community.territory.path
    approver = community.kind.plan_approver
    if approver == Approver.SCHOOL_ADMIN and community.organisation_id:
        return community.organisation_id in scopes.school_admin_orgs
    if approver == Approver.COORDINATOR and community.network_id:
        return community.network_id in scopes.coordinator_networks
    if approver == Approver.CURATOR:
        return any(path.startswith(p) for p in scopes.curator_paths) or scopes.in_centre(path)
    # The centre approves for its territory, and for any kind whose host has no approver.
    return scopes.in_centre(path)


def _is_agreer(user, plan: Plan) -> bool:
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return True
    return plan.community.organisation_id in scopes.school_admin_orgs


def holds(user, plan: Plan, role: str) -> bool:
    """Whether a person holds one of the workflow's roles for this plan."""
    if role == Role.EDITOR:
        return community_permissions.can_edit(user, plan.community)
    if role == Role.AGREER:
        return _is_agreer(user, plan)
    if role == Role.APPROVER:
        return _is_approver(user, plan)
    return False


def step_allowed(user, plan: Plan, row: Transition) -> bool:
    """The person holds the row's role, and is not approving what they agreed themselves where
    the kind wants two people (deputy and director, 004 §3.2)."""
    if not holds(user, plan, row.role):
        return False
    if (
        row.step == Step.APPROVE
        and row.source == Plan.Status.AGREED
        and plan.community.kind.separate_approval
    ):
        return selectors.agreed_by(plan) != getattr(user, "pk", None)
    return True


def may_take(user, plan: Plan, step: str) -> bool:
    """May this person take this step of the plan's approval now (workflow.TRANSITIONS)?"""
    row = workflow.transition(plan, step)
    return row is not None and step_allowed(user, plan, row)


def can_record_discussion(user, plan: Plan) -> bool:
    return may_take(user, plan, Step.DISCUSS)


def can_agree(user, plan: Plan) -> bool:
    return may_take(user, plan, Step.AGREE)


def can_approve(user, plan: Plan) -> bool:
    return may_take(user, plan, Step.APPROVE)


def can_send_back(user, plan: Plan) -> bool:
    return may_take(user, plan, Step.SEND_BACK)


def can_revise(user, plan: Plan) -> bool:
    return may_take(user, plan, Step.REVISE)


def can_manage_research_plan(user, *, network=None, organisation=None) -> bool:
    """A network's coordinator, a school's administration, or the centre above them."""
    from organisations import permissions as organisation_permissions

    if network is not None:
        return organisation_permissions.can_edit_network(user, network)
    if organisation is not None:
        return organisation_permissions.can_edit_organisation(user, organisation)
    return False
