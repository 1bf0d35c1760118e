"""Reads for communities: querysets with their joins decided here, and the rule check."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.scopes import scopes_for
from core.text import search_key

from . import permissions
from .models import Community, CommunityKind, Membership, MembershipRequest


def administered_communities(user):
    """Communities the user runs: as leader, or over their host as an administrator."""
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return Community.objects.all()
    q = Q(leader=user)
    if scopes.school_admin_orgs:
        q |= Q(organisation_id__in=scopes.school_admin_orgs)
    if scopes.coordinator_networks:
        q |= Q(network_id__in=scopes.coordinator_networks)
    q |= scopes.territory_q(scopes.centre_paths, "territory__path")
    if scopes.curator_paths:
        q |= Q(kind__curated=True) & scopes.territory_q(scopes.curator_paths, "territory__path")
    return Community.objects.filter(q)


def visible_communities(user) -> QuerySet[Community]:
    """The communities the user may see, with what their list rows show."""
    qs = Community.objects.select_related("kind", "organisation", "network", "territory", "leader")
    return permissions.filter_visible(user, qs)


def community_list(
    *,
    user,
    q: str = "",
    kind: str = "",
    status: str = Community.Status.ACTIVE,
    organisation: int | None = None,
    network: int | None = None,
    territory_path: str = "",
    mine: bool = False,
    breaking: bool = False,
) -> QuerySet[Community]:
    qs = Community.objects.select_related("kind", "organisation", "network", "territory", "leader")
    qs = permissions.filter_visible(user, qs)
    if q:
        qs = qs.filter(search_text__contains=search_key(q))
    if kind:
        qs = qs.filter(kind__code=kind)
    if status:
        qs = qs.filter(status=status)
    if organisation:
        qs = qs.filter(organisation_id=organisation)
    if network:
        qs = qs.filter(network_id=network)
    if territory_path:
        qs = qs.filter(territory__path__startswith=territory_path)
    if mine and user.is_authenticated:
        qs = qs.filter(memberships__person=user)
    if breaking:
        qs = qs.filter(may_break_rules_q())
    return qs.order_by("name", "id")


def may_break_rules_q() -> Q:
    """The rule check in SQL, for lists at the scale of a region.

    It may include a community whose members happen to share one subject without the
    community naming it; rule_violations() gives the exact answer for the rows shown.
    """
    role = Membership.objects.filter(community=OuterRef("pk"))
    return Q(status=Community.Status.ACTIVE) & (
        Q(member_count__lt=F("kind__min_members"))
        | Q(kind__max_members__isnull=False, member_count__gt=F("kind__max_members"))
        | Q(kind__requires_pair_roles=False, leader__isnull=True)
        | (
            Q(kind__requires_pair_roles=True)
            & (
                ~Exists(role.filter(role=Membership.Role.MENTOR))
                | ~Exists(role.filter(role=Membership.Role.MENTEE))
            )
        )
        | Q(kind__single_subject=True, subject_area="")
        | (Q(kind__requires_end_date=True) & (Q(end_date__isnull=True) | Q(topic="")))
    )


def community_detail(pk: int) -> Community:
    return Community.objects.select_related(
        "kind", "organisation__territory", "network__territory", "territory", "leader", "successor"
    ).get(pk=pk)


def community_for_member_pages(pk: int) -> Community:
    """A community as its plans, meetings and decisions pages open it: with what their
    permission checks read, not the hosts and people the community's own page shows."""
    return Community.objects.select_related("kind", "territory").get(pk=pk)


def members_of(community: Community) -> QuerySet[Membership]:
    return (
        community.memberships.select_related("person")
        .prefetch_related("person__positions__organisation")
        .order_by("role", "person__last_name", "person__first_name", "id")
    )


def pending_requests(community: Community) -> QuerySet[MembershipRequest]:
    return community.requests.filter(status=MembershipRequest.Status.PENDING).select_related(
        "person"
    )


def requests_for_person(person) -> QuerySet[MembershipRequest]:
    return MembershipRequest.objects.filter(
        person=person,
        status=MembershipRequest.Status.PENDING,
        direction=MembershipRequest.Direction.INVITATION,
    ).select_related("community__kind")


def requests_to_decide(user) -> QuerySet[MembershipRequest]:
    """Join requests waiting for communities the user leads."""
    return MembershipRequest.objects.filter(
        status=MembershipRequest.Status.PENDING,
        direction=MembershipRequest.Direction.JOIN_REQUEST,
        community__leader=user,
    ).select_related("community", "person")


def kinds() -> QuerySet[CommunityKind]:
    """Every country's copy of every kind's rules."""
    return CommunityKind.objects.all()


def kind_choices() -> QuerySet[CommunityKind]:
    """One copy per kind, for pickers and filters: services use the copy of the host's country."""
    return CommunityKind.objects.filter(country=CommunityKind.Country.RU)


@dataclass(frozen=True)
class Violation:
    code: str
    message: str


def rule_violations(
    community: Community, members: list[Membership] | None = None
) -> list[Violation]:
    """The kind's rules this community breaks now, in plain words."""
    if not community.is_active:
        return []
    kind = community.kind
    if members is None:
        members = list(community.memberships.all())
    out: list[Violation] = []
    count = len(members)
    if kind.min_members and count < kind.min_members:
        out.append(
            Violation(
                "min_members",
                ngettext(
                    "A %(kind)s needs at least %(n)d member; it has %(count)d.",
                    "A %(kind)s needs at least %(n)d members; it has %(count)d.",
                    kind.min_members,
                )
                % {"kind": kind.name, "n": kind.min_members, "count": count},
            )
        )
    if kind.max_members and count > kind.max_members:
        out.append(
            Violation(
                "max_members",
                _("A %(kind)s has at most %(n)d members; it has %(count)d.")
                % {"kind": kind.name, "n": kind.max_members, "count": count},
            )
        )
    if kind.requires_pair_roles:
        roles = [m.role for m in members]
        if roles.count(Membership.Role.MENTOR) != 1:
            out.append(Violation("mentor", _("The pair needs exactly one mentor.")))
        if roles.count(Membership.Role.MENTEE) != 1:
            out.append(Violation("mentee", _("The pair needs exactly one mentee.")))
    elif not community.leader_id:
        out.append(Violation("leader", _("The community has no leader.")))
    if kind.single_subject:
        subjects = {m.subject.strip().lower() for m in members if m.subject.strip()}
        if not community.subject_area and not subjects:
            out.append(
                Violation(
                    "subject",
                    _("Name the one subject or area the members of this community share."),
                )
            )
        elif len(subjects) > 1 and not community.subject_area:
            out.append(
                Violation(
                    "subject",
                    _("Members teach different subjects (%(subjects)s); a %(kind)s works on one.")
                    % {"subjects": ", ".join(sorted(subjects)), "kind": kind.name},
                )
            )
    if kind.requires_end_date:
        if not community.end_date:
            out.append(
                Violation("end_date", _("A %(kind)s needs an end date.") % {"kind": kind.name})
            )
        if not community.topic:
            out.append(Violation("topic", _("A %(kind)s needs a topic.") % {"kind": kind.name}))
    return out


def rule_summary(kind: CommunityKind) -> list[str]:
    """The kind's rules as sentences, for the community page and the rules table."""
    lines: list[str] = []
    if kind.min_members and kind.max_members and kind.min_members == kind.max_members:
        lines.append(_("Exactly %(n)d members.") % {"n": kind.min_members})
    else:
        if kind.min_members:
            lines.append(_("At least %(n)d members.") % {"n": kind.min_members})
        if kind.max_members:
            lines.append(_("At most %(n)d members.") % {"n": kind.max_members})
    if kind.requires_pair_roles:
        lines.append(_("One mentor and one mentee."))
    if kind.single_subject:
        lines.append(_("Members teach one subject, one area or related subjects."))
    if kind.requires_end_date:
        lines.append(_("Works on a topic until an end date."))
    if kind.meeting_cadence == CommunityKind.Cadence.TERM:
        lines.append(_("Meets at least once a term."))
    elif kind.meeting_cadence == CommunityKind.Cadence.QUARTER:
        lines.append(_("Meets at least once a quarter."))
    if kind.min_meetings_per_year:
        lines.append(
            _("At least %(n)d meetings a school year.") % {"n": kind.min_meetings_per_year}
        )
    if kind.report_deadline_month and kind.report_deadline_day:
        lines.append(
            _("Annual report due by %(day)02d.%(month)02d.")
            % {"day": kind.report_deadline_day, "month": kind.report_deadline_month}
        )
    lines.append(_("Plan approved by: %(who)s.") % {"who": kind.get_plan_approver_display()})
    if kind.separate_approval and kind.host_type == CommunityKind.Host.ORGANISATION:
        lines.append(_("Whoever agrees the plan does not also approve it."))
    if kind.curated:
        lines.append(_("Administered by curators of the territory."))
    return lines
