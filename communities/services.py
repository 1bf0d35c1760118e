"""Writes for communities: each function is one whole change inside one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import announce, require
from organisations.models import Network, Organisation, Territory
from people import services as people_services
from people.models import Person

from . import permissions, selectors, signals
from .models import (
    PARENT_KINDS,
    TEAM_KINDS,
    Community,
    CommunityKind,
    GroupAdministrator,
    Membership,
    MembershipRequest,
)

Role = Membership.Role


def _host_territory(
    kind: CommunityKind,
    organisation: Organisation | None,
    network: Network | None,
    territory: Territory | None,
) -> Territory:
    hosts = [h for h in (organisation, network, territory) if h is not None]
    if len(hosts) != 1:
        raise ValidationError(
            {
                "organisation": _(
                    "Choose exactly one host: an organisation, a network or a territory."
                )
            }
        )
    given = {"organisation": organisation, "network": network, "territory": territory}
    if given[kind.host_type] is None:
        messages = {
            "organisation": _("A %(kind)s works at an organisation: choose the organisation."),
            "network": _("A %(kind)s works in a network: choose the network."),
            "territory": _("A %(kind)s works on a territory: choose the territory."),
        }
        raise ValidationError({kind.host_type: messages[kind.host_type] % {"kind": kind.name}})
    if organisation is not None:
        return organisation.territory
    if network is not None:
        return network.territory
    return territory


def _rules_of_country(kind: CommunityKind, territory: Territory) -> CommunityKind:
    """The copy of the kind's rules for the host's country; pickers may offer any copy."""
    if kind.country == territory.country_code:
        return kind
    copy = CommunityKind.objects.filter(code=kind.code, country=territory.country_code).first()
    if copy is None:
        raise ValidationError(
            {"kind": _("This kind has no rules for the host's country yet.")}, code="no_rules"
        )
    return copy


def _validate_dates(kind: CommunityKind, *, topic: str, end_date, created_on) -> None:
    errors = {}
    if kind.requires_end_date:
        if not end_date:
            errors["end_date"] = _("A %(kind)s needs an end date.") % {"kind": kind.name}
        if not topic:
            errors["topic"] = _("A %(kind)s needs a topic.") % {"kind": kind.name}
    if end_date and created_on and end_date < created_on:
        errors["end_date"] = _("The end date cannot be before the creation date.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_community(
    *,
    kind: CommunityKind,
    name: str,
    organisation: Organisation | None = None,
    network: Network | None = None,
    territory: Territory | None = None,
    leader=None,
    description: str = "",
    subject_area: str = "",
    participant_category: str = "",
    topic: str = "",
    visibility: str = Community.Visibility.INTERNAL,
    online_url: str = "",
    created_on: dt.date | None = None,
    creation_order_number: str = "",
    creation_order_date: dt.date | None = None,
    end_date: dt.date | None = None,
    parent: Community | None = None,
    actor=None,
) -> Community:
    if territory is not None and (organisation is not None or network is not None):
        territory = None
    host_territory = _host_territory(kind, organisation, network, territory)
    require(actor, lambda: permissions.can_create_in(
        actor, kind, organisation=organisation, network=network, territory=territory))  # fmt: skip
    kind = _rules_of_country(kind, host_territory)
    created_on = created_on or timezone.localdate()
    _validate_dates(kind, topic=topic, end_date=end_date, created_on=created_on)
    community = Community(
        kind=kind,
        name=name.strip(),
        organisation=organisation,
        network=network,
        territory=host_territory,
        description=description,
        subject_area=subject_area,
        participant_category=participant_category,
        topic=topic,
        visibility=visibility,
        online_url=online_url,
        created_on=created_on,
        creation_order_number=creation_order_number,
        creation_order_date=creation_order_date,
        end_date=end_date,
        parent=parent,
    )
    _validate_parent(community)
    _check_parent_taken(actor, parent)
    community.full_clean(exclude=["leader", "successor"])
    community.save()
    if leader is not None:
        add_member(community=community, person=leader, role=Role.LEADER)
    return community


EDITABLE_FIELDS = (
    "name",
    "description",
    "subject_area",
    "participant_category",
    "topic",
    "visibility",
    "online_url",
    "end_date",
    "creation_order_number",
    "creation_order_date",
    "parent",
)


def _validate_parent(community: Community) -> None:
    """A team or micro-group works inside a PLC of its own school (002 #6), and the teams form a
    tree: no community is its own parent or ancestor."""
    parent = community.parent
    if parent is None:
        return
    error = None
    if community.kind.code not in TEAM_KINDS:
        error = _("Only a lesson-study team or a creative micro-group can be part of a PLC.")
    elif parent.kind.code not in PARENT_KINDS:
        error = _("A team can only be part of a school PLC.")
    elif parent.pk == community.pk:
        error = _("A community cannot be part of itself.")
    elif not community.organisation_id or parent.organisation_id != community.organisation_id:
        error = _("The PLC must be hosted by the same organisation as the team.")
    elif not parent.is_active:
        error = _("A closed PLC does not take teams.")
    else:
        seen = {community.pk}
        step = parent
        while step is not None:
            if step.pk in seen:
                error = _("A community cannot be part of its own team.")
                break
            seen.add(step.pk)
            step = step.parent
    if error:
        raise ValidationError({"parent": error})


def _check_parent_taken(actor, parent: Community | None) -> None:
    """The policy's limit on a new parent: a PLC the actor may run (`can_take_team`)."""
    if actor is None or parent is None or permissions.can_take_team(actor, parent):
        return
    raise ValidationError(
        {"parent": _("You can place a team only under a PLC that you lead or administer.")}
    )


@transaction.atomic
def set_parent(*, community: Community, parent: Community | None, actor=None) -> Community:
    """Place a team under its school's PLC (or take it out): by those who may edit the team."""
    return update_community(community=community, actor=actor, parent=parent)


@transaction.atomic
def update_community(*, community: Community, actor=None, **changes) -> Community:
    require(actor, lambda: permissions.can_edit(actor, community))
    if not community.is_active:
        raise ValidationError(_("A closed community cannot be changed."))
    old_parent_id = community.parent_id
    for field, value in changes.items():
        if field not in EDITABLE_FIELDS:
            raise ValueError(f"{field} is not editable")
        setattr(community, field, value)
    _validate_parent(community)
    if community.parent_id != old_parent_id:
        _check_parent_taken(actor, community.parent)
    _validate_dates(
        community.kind,
        topic=community.topic,
        end_date=community.end_date,
        created_on=community.created_on,
    )
    community.full_clean(exclude=["leader", "successor"])
    community.save()
    return community


def _refresh_count(community: Community) -> None:
    community.member_count = community.memberships.count()
    Community.objects.filter(pk=community.pk).update(member_count=community.member_count)


@transaction.atomic
def add_member(
    *, community: Community, person, role: str = Role.MEMBER, subject: str = "", actor=None
) -> Membership:
    require(actor, lambda: permissions.can_manage_members(actor, community))
    if not community.is_active:
        raise ValidationError(_("A closed community does not take new members."))
    kind = community.kind
    existing = Membership.objects.filter(community=community, person=person).first()
    if existing is None:
        count = community.memberships.count()
        if kind.max_members and count >= kind.max_members:
            raise ValidationError(
                _("A %(kind)s has at most %(n)d members.")
                % {"kind": kind.name, "n": kind.max_members}
            )
    if role in (Role.MENTOR, Role.MENTEE):
        taken = community.memberships.filter(role=role).exclude(person=person).exists()
        if taken and kind.requires_pair_roles:
            raise ValidationError(
                _("This pair already has a %(role)s.") % {"role": Role(role).label.lower()}
            )
    problem = selectors.pair_results_problem(kind, role, person)
    if problem:
        raise ValidationError(problem)
    if role == Role.LEADER:
        community.memberships.filter(role=Role.LEADER).exclude(person=person).update(
            role=Role.MEMBER
        )
        community.leader = person
        community.save(update_fields=["leader"])
    if existing is not None:
        existing.role = role
        if subject:
            existing.subject = subject
        existing.save(update_fields=["role", "subject"])
        membership = existing
    else:
        membership = Membership.objects.create(
            community=community,
            person=person,
            role=role,
            subject=subject,
            joined_on=timezone.localdate(),
        )
        _refresh_count(community)
    if role != Role.LEADER and community.leader_id == person.pk:
        community.leader = None
        community.save(update_fields=["leader"])
    return membership


@transaction.atomic
def remove_member(*, community: Community, person, actor=None) -> None:
    """A manager removes a member; a member may leave by themselves."""
    require(
        actor, lambda: actor.pk == person.pk or permissions.can_manage_members(actor, community)
    )
    deleted, _unused = Membership.objects.filter(community=community, person=person).delete()
    if not deleted:
        raise ValidationError(_("This person is not a member."))
    if community.leader_id == person.pk:
        community.leader = None
        community.save(update_fields=["leader"])
    _refresh_count(community)


@transaction.atomic
def invite(*, community: Community, person, invited_by, role: str = Role.MEMBER, message: str = ""):
    """`invited_by` is the person acting: one who may manage the members."""
    require(invited_by, lambda: permissions.can_manage_members(invited_by, community))
    if Membership.objects.filter(community=community, person=person).exists():
        raise ValidationError(_("%(person)s is already a member.") % {"person": person})
    if MembershipRequest.objects.filter(
        community=community, person=person, status=MembershipRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            _("%(person)s already has a pending invitation or request.") % {"person": person}
        )
    invitation = MembershipRequest.objects.create(
        community=community,
        person=person,
        direction=MembershipRequest.Direction.INVITATION,
        role=role,
        message=message,
        created_by=invited_by,
    )
    announce(signals.invitation_sent, MembershipRequest, request=invitation, actor=invited_by)
    return invitation


@transaction.atomic
def request_to_join(*, community: Community, person, message: str = "") -> MembershipRequest:
    """`person` asks for themselves, where the policy lets them ask."""
    if not community.is_active:
        raise ValidationError(_("A closed community does not take new members."))
    if Membership.objects.filter(community=community, person=person).exists():
        raise ValidationError(_("You are already a member."))
    if MembershipRequest.objects.filter(
        community=community, person=person, status=MembershipRequest.Status.PENDING
    ).exists():
        raise ValidationError(_("Your request is already waiting for an answer."))
    require(person, lambda: permissions.can_request_to_join(person, community))
    join_request = MembershipRequest.objects.create(
        community=community,
        person=person,
        direction=MembershipRequest.Direction.JOIN_REQUEST,
        message=message,
        created_by=person,
    )
    announce(signals.join_requested, MembershipRequest, request=join_request, actor=person)
    return join_request


@transaction.atomic
def decide_request(*, request: MembershipRequest, decided_by, accept: bool) -> MembershipRequest:
    """`decided_by` is the person acting: the invited person, or one who may decide a request."""
    request = MembershipRequest.objects.select_for_update().get(pk=request.pk)
    require(decided_by, lambda: permissions.may_decide_request(decided_by, request))
    if request.status != MembershipRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    request.status = (
        MembershipRequest.Status.ACCEPTED if accept else MembershipRequest.Status.DECLINED
    )
    request.decided_by = decided_by
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        add_member(community=request.community, person=request.person, role=request.role)
    announce(signals.request_decided, MembershipRequest, request=request, actor=decided_by)
    return request


def _validate_closing(
    community: Community,
    order_number: str,
    order_date,
    closed_on,
    decision_date=None,
    decision_reference: str = "",
) -> None:
    errors = {}
    if not order_number or not order_number.strip():
        errors["order_number"] = _("Give the number of the order or decision.")
    if not order_date:
        errors["order_date"] = _("Give the date of the order or decision.")
    elif closed_on and closed_on < order_date:
        errors["closed_on"] = _("The community cannot close before the decision is taken.")
    if community.organisation_id and not decision_date:
        errors["decision_date"] = _(
            "A community of a school is reorganised or abolished by decision of the teaching "
            "staff: give the date of the meeting that took it."
        )
    elif decision_date and order_date and decision_date > order_date:
        errors["decision_date"] = _(
            "The order follows the decision of the teaching staff: the decision cannot be "
            "later than the order."
        )
    if len(decision_reference or "") > 100:
        errors["decision_reference"] = _("At most 100 characters.")
    if errors:
        raise ValidationError(errors)


def _record_closing(
    community: Community, status: str, order_number, order_date, closed_on, decision_date, ref
):
    community.status = status
    community.closing_order_number = order_number.strip()
    community.closing_order_date = order_date
    community.closed_on = closed_on
    community.closing_decision_date = decision_date
    community.closing_decision_reference = (ref or "").strip()


@transaction.atomic
def abolish(
    *,
    community: Community,
    order_number: str,
    order_date: dt.date,
    closed_on: dt.date | None = None,
    decision_date: dt.date | None = None,
    decision_reference: str = "",
    actor=None,
) -> Community:
    """Abolish by the order that follows the decision (for a school's community: the teaching
    staff's, 004 §1.5, with the date of its meeting and the minutes' reference)."""
    require(actor, lambda: permissions.can_close(actor, community))
    if not community.is_active:
        raise ValidationError(_("This community is already closed."))
    closed_on = closed_on or order_date
    _validate_closing(
        community, order_number, order_date, closed_on, decision_date, decision_reference
    )
    _record_closing(
        community,
        Community.Status.ABOLISHED,
        order_number,
        order_date,
        closed_on,
        decision_date,
        decision_reference,
    )
    community.save()
    MembershipRequest.objects.filter(
        community=community, status=MembershipRequest.Status.PENDING
    ).update(status=MembershipRequest.Status.DECLINED, decided_at=timezone.now())
    return community


@transaction.atomic
def reorganise(
    *,
    community: Community,
    order_number: str,
    order_date: dt.date,
    new_name: str,
    new_kind: CommunityKind | None = None,
    carry_members: bool = True,
    decision_date: dt.date | None = None,
    decision_reference: str = "",
    actor=None,
) -> Community:
    """Close a community and open its successor, carrying its members over by default; as for
    abolish, a school's community needs the teaching staff's decision (004 §1.5)."""
    require(actor, lambda: permissions.can_close(actor, community))
    if not community.is_active:
        raise ValidationError(_("This community is already closed."))
    _validate_closing(
        community, order_number, order_date, order_date, decision_date, decision_reference
    )
    if not new_name or not new_name.strip():
        raise ValidationError({"new_name": _("Name the community that replaces this one.")})
    kind = new_kind or community.kind
    successor = create_community(
        kind=kind,
        name=new_name,
        organisation=community.organisation,
        network=community.network,
        territory=community.territory,
        description=community.description,
        subject_area=community.subject_area,
        participant_category=community.participant_category,
        topic=community.topic,
        visibility=community.visibility,
        online_url=community.online_url,
        created_on=order_date,
        creation_order_number=order_number.strip(),
        creation_order_date=order_date,
        end_date=community.end_date if kind.requires_end_date else None,
    )
    if carry_members:
        memberships = list(community.memberships.select_related("person"))
        if kind.max_members and len(memberships) > kind.max_members:
            raise ValidationError(
                _("A %(kind)s has at most %(n)d members.")
                % {"kind": kind.name, "n": kind.max_members}
            )
        Membership.objects.bulk_create(
            Membership(
                community=successor,
                person=m.person,
                role=m.role,
                subject=m.subject,
                joined_on=order_date,
            )
            for m in memberships
        )
        successor.leader_id = community.leader_id
        successor.member_count = len(memberships)
        successor.save(update_fields=["leader", "member_count"])
    _record_closing(
        community,
        Community.Status.REORGANISED,
        order_number,
        order_date,
        order_date,
        decision_date,
        decision_reference,
    )
    community.successor = successor
    community.save()
    return successor


@transaction.atomic
def update_kind_rules(*, kind: CommunityKind, actor=None, **changes) -> CommunityKind:
    require(actor, lambda: permissions.can_edit_rules(actor, kind))
    for field, value in changes.items():
        setattr(kind, field, value)
    if kind.max_members and kind.min_members > kind.max_members:
        raise ValidationError({"max_members": _("The maximum cannot be smaller than the minimum.")})
    if bool(kind.report_deadline_month) != bool(kind.report_deadline_day):
        raise ValidationError(
            {"report_deadline_day": _("Give both the day and the month of the report deadline.")}
        )
    if kind.report_deadline_month:
        try:
            dt.date(2001, kind.report_deadline_month, kind.report_deadline_day)
        except ValueError:
            raise ValidationError(
                {"report_deadline_day": _("This day does not exist in that month.")}
            ) from None
    kind.full_clean()
    kind.save()
    return kind


@transaction.atomic
def open_team(*, community: Community, actor, channel: str = "page") -> selectors.Team:
    """The team as its leader sees it; every member's record shown is logged as a databank view
    (the leader's own is not, as on the person's page)."""
    if not permissions.can_view_team(actor, community):
        raise PermissionDenied
    team = selectors.team_of(community)
    people_services.log_databank_access(
        viewer=actor, subjects=[m.person for m in team.members], action="view", channel=channel
    )
    return team


def bump_member_counts(community_ids: list[int]) -> None:
    """Used by bulk loaders (demo, bench) that create memberships directly."""
    for cid in community_ids:
        Community.objects.filter(pk=cid).update(
            member_count=Membership.objects.filter(community_id=cid).count()
        )


__all__ = [
    "abolish",
    "add_member",
    "bump_member_counts",
    "create_community",
    "decide_request",
    "invite",
    "open_team",
    "remove_member",
    "reorganise",
    "request_to_join",
    "update_community",
    "set_parent",
    "update_kind_rules",
]


@dataclass(frozen=True)
class PageAdministratorEntry:
    person: Person
    position: str = ""
    contact: str = ""


@transaction.atomic
def register_online_page(
    *,
    community: Community,
    actor,
    online_url: str,
    administrators: list[PageAdministratorEntry],
) -> Community:
    """The community's page on a social network and its administrators with the contacts the
    centre publishes (003 app. 2 appendix). Administrators still listed keep their rows."""
    require(actor, lambda: permissions.can_register_online_page(actor, community))
    allowed = set(permissions.page_administrator_candidates(community).values_list("pk", flat=True))
    for entry in administrators:
        if entry.person.pk not in allowed:
            raise ValidationError(
                {
                    "administrators": _(
                        "%(person)s cannot administer this page: only its leader and those who "
                        "run it (curators, the centre, the school's administration) can."
                    )
                    % {"person": entry.person.full_name}
                }
            )
    community.online_url = online_url
    community.save(update_fields=["online_url"])
    people = [entry.person.pk for entry in administrators]
    if len(people) != len(set(people)):
        raise ValidationError({"administrators": _("Each administrator is listed once.")})
    community.page_administrators.exclude(person_id__in=people).delete()
    kept = {a.person_id: a for a in community.page_administrators.all()}
    for order, entry in enumerate(administrators):
        row = kept.get(entry.person.pk) or GroupAdministrator(
            community=community, person=entry.person
        )
        row.position, row.contact, row.order = entry.position, entry.contact, order
        row.save()
    return community


@transaction.atomic
def add_members_from_list(*, community: Community, actor, person_ids: list[int]) -> int:
    """Add the people a member list's check matched (communities.member_lists); those already
    in are left as they are, so applying twice adds nobody twice. Returns how many joined."""
    require(actor, lambda: permissions.can_add_members_from_list(actor, community))
    community = Community.objects.select_for_update().select_related("kind").get(pk=community.pk)
    if not community.is_active:
        raise ValidationError(_("A closed community does not take new members."))
    present = set(community.memberships.values_list("person_id", flat=True))
    new = [
        pk
        for pk in Person.objects.filter(pk__in=set(person_ids), is_active=True).values_list(
            "pk", flat=True
        )
        if pk not in present
    ]
    kind = community.kind
    if kind.max_members and len(present) + len(new) > kind.max_members:
        raise ValidationError(
            _("A %(kind)s has at most %(n)d members.") % {"kind": kind.name, "n": kind.max_members}
        )
    today = timezone.localdate()
    Membership.objects.bulk_create(
        [
            Membership(community=community, person_id=pk, role=Role.MEMBER, joined_on=today)
            for pk in new
        ],
        batch_size=500,
        ignore_conflicts=True,  # a second tab applying the same check at once
    )
    _refresh_count(community)
    return len(new)
