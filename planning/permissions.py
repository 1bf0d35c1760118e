"""Who may see, edit and move a plan through its approval (004 §3.2; 003 app. 4 §4.5)."""

from __future__ import annotations

from django.db.models import Q

from communities import permissions as community_permissions
from communities.models import CommunityKind, Membership
from core.scopes import scopes_for
from people import roles
from people.models import Person

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
    if approver == Approver.COUNCIL:
        # The district's coordination council adopts the networks' plans and its own (001 §3);
        # the centre, which leads the councils, stands in where there is none.
        return community_permissions.leads_council_over(user, community) or scopes.in_centre(path)
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


# The steps that ask someone other than the plan's editor to act: the plan waits for them.
WAITING_STEPS = (Step.AGREE, Step.APPROVE)


def waiting_steps(plan: Plan) -> list[Transition]:
    """The rows by which the plan now waits for an agreer or an approver."""
    return [row for row in workflow.next_steps(plan) if row.step in WAITING_STEPS]


def waits_for(user, plan: Plan) -> bool:
    """Does the plan wait for this person: may they agree or approve it now?"""
    return any(step_allowed(user, plan, row) for row in waiting_steps(plan))


def next_step_takers(plan: Plan, people: dict | None = None) -> list:
    """Who the plan waits for: everyone who may agree or approve it now, as `step_allowed`
    answers (so the deputy who agreed is not asked to approve too). Candidates are the holders of
    a role over the community's host; `people` keeps each person, and their scopes, across calls.
    """
    steps = waiting_steps(plan)
    if not steps:
        return []
    community = plan.community
    if people is None:
        people = {}
    ids = list(
        roles.holders_over(
            organisation_id=community.organisation_id,
            network_id=community.network_id,
            territory_path=community.territory.path,
        ).values_list("pk", flat=True)
    )
    if community.kind.plan_approver == CommunityKind.Approver.COUNCIL:
        ids += [pk for pk in community_permissions.council_leader_ids() if pk not in ids]
    missing = [pk for pk in ids if pk not in people]
    if missing:
        people.update(Person.objects.in_bulk(missing))
    if not hasattr(plan, "last_agreed_by"):
        plan.last_agreed_by = selectors.agreed_by(plan)
    return [people[pk] for pk in ids if any(step_allowed(people[pk], plan, row) for row in steps)]


def waiting_q(user) -> Q:
    """The list form of `waits_for`, wide: plans in agreement or approval of communities whose
    host the person holds a role over. `waits_for` decides for each of them."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return Q(pk__in=[])
    waiting = Q(status__in=[Plan.Status.DISCUSSED, Plan.Status.AGREED])
    if scopes.is_superuser:
        return waiting
    hosts = Q(pk__in=[])
    if scopes.school_admin_orgs:
        hosts |= Q(community__organisation_id__in=scopes.school_admin_orgs)
    if scopes.coordinator_networks:
        hosts |= Q(community__network_id__in=scopes.coordinator_networks)
    hosts |= scopes.territory_q(scopes.centre_paths, "community__territory__path")
    hosts |= scopes.territory_q(scopes.curator_paths, "community__territory__path")
    if user.pk in community_permissions.council_leader_ids():
        hosts |= Q(community__kind__plan_approver=CommunityKind.Approver.COUNCIL)
    return waiting & hosts


def can_manage_research_plan(user, *, network=None, organisation=None) -> bool:
    """A network's coordinator, a school's administration, or the centre above them."""
    from organisations import permissions as organisation_permissions

    if network is not None:
        return organisation_permissions.can_edit_network(user, network)
    if organisation is not None:
        return organisation_permissions.can_edit_organisation(user, organisation)
    return False
