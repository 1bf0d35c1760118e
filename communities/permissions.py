"""Who may see, create, run and close communities. Pages, API and admin ask here.

Visibility of a community (and so of its members, meetings, minutes, decisions, plans and their
exports and feeds):

- public: everyone, signed in or not (member lists only to signed-in people);
- internal: signed-in people of the host's region — whose position or role scope lies in the
  region containing the community's territory (see ``Scopes.region_paths``) — plus its members
  and those administering the host; someone from another region does not see it;
- members only: its members and those administering the host.

Membership is read from the database on every request, so a removed member loses access at once.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.scopes import scopes_for
from organisations.models import Network, Organisation, Territory
from people.models import Person
from people.permissions import databank_visible_q

from .models import Community, CommunityKind, Membership, MembershipRequest


def _memberships(user) -> dict[int, str | None]:
    """The user's role per community, cached on the user object for the request."""
    cache = getattr(user, "_collegium_memberships", None)
    if cache is None:
        cache = {}
        user._collegium_memberships = cache
    return cache


def is_member(user, community: Community) -> bool:
    if not (user and user.is_authenticated):
        return False
    cache = _memberships(user)
    if community.pk not in cache:
        cache[community.pk] = (
            Membership.objects.filter(community_id=community.pk, person_id=user.pk)
            .order_by()
            .values_list("role", flat=True)
            .first()
        )
    return cache[community.pk] is not None


def member_role(user, community: Community) -> str | None:
    if not is_member(user, community):
        return None
    return user._collegium_memberships[community.pk]


def administers(user, community: Community) -> bool:
    """Host administrators: school admin, network coordinator, centre admin, or curator."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    if scopes.is_superuser:
        return True
    if community.organisation_id and community.organisation_id in scopes.school_admin_orgs:
        return True
    if community.network_id and community.network_id in scopes.coordinator_networks:
        return True
    path = community.territory.path
    if scopes.in_centre(path):
        return True
    return community.kind.curated and any(path.startswith(p) for p in scopes.curator_paths)


def can_view(user, community: Community) -> bool:
    if community.visibility == Community.Visibility.PUBLIC:
        return True
    if not (user and user.is_authenticated):
        return False
    # The cheap answers first (memberships and role assignments are read once a request, and a
    # leader's pages need only the former); the region is read for an internal community's
    # outsiders only.
    if is_member(user, community) or administers(user, community):
        return True
    return community.visibility == Community.Visibility.INTERNAL and scopes_for(user).in_region(
        community.territory.path
    )


def can_view_members(user, community: Community) -> bool:
    """Member lists name people, so anonymous visitors of a public community don't get them."""
    return bool(user and user.is_authenticated) and can_view(user, community)


def can_edit(user, community: Community) -> bool:
    if not community.is_active:
        return False
    # A role already read (can_view reads it first) answers for leaders without the scopes.
    if user and user.is_authenticated:
        if _memberships(user).get(community.pk) == Membership.Role.LEADER:
            return True
    return administers(user, community) or member_role(user, community) == "leader"


def can_take_team(user, parent: Community) -> bool:
    """A team or micro-group is placed under a PLC (`Community.parent`) by someone who may run
    that PLC too — its leader or its host's administrators — not by a team's leader who merely
    knows of it: the PLC's leader then reads the team's work."""
    return can_edit(user, parent)


def editable_q(user) -> Q:
    """The list form of `can_edit` (the active communities the user leads or administers)."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return Q(pk__in=[])
    active = Q(status=Community.Status.ACTIVE)
    if scopes.is_superuser:
        return active
    q = Q(
        Exists(
            Membership.objects.filter(
                community=OuterRef("pk"), person_id=user.pk, role=Membership.Role.LEADER
            )
        )
    )
    if scopes.school_admin_orgs:
        q |= Q(organisation_id__in=scopes.school_admin_orgs)
    if scopes.coordinator_networks:
        q |= Q(network_id__in=scopes.coordinator_networks)
    q |= scopes.territory_q(scopes.centre_paths, "territory__path")
    if scopes.curator_paths:
        q |= Q(kind__curated=True) & scopes.territory_q(scopes.curator_paths, "territory__path")
    return active & q


def can_manage_members(user, community: Community) -> bool:
    return can_edit(user, community)


def may_decide_request(user, request: MembershipRequest) -> bool:
    """An invitation is answered by the invited person; a join request by a members' manager."""
    if request.direction == MembershipRequest.Direction.INVITATION:
        return bool(user and user.is_authenticated and request.person_id == user.pk)
    return can_manage_members(user, request.community)


def can_close(user, community: Community) -> bool:
    """Reorganise or abolish: by decision of the host's administration (004 §1.4–1.5)."""
    return community.is_active and administers(user, community)


def can_request_to_join(user, community: Community) -> bool:
    return (
        bool(user and user.is_authenticated)
        and community.is_active
        and can_view(user, community)
        and not is_member(user, community)
    )


def can_create_in(
    user,
    kind: CommunityKind,
    *,
    organisation: Organisation | None = None,
    network: Network | None = None,
    territory: Territory | None = None,
) -> bool:
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    if scopes.is_superuser:
        return True
    if organisation is not None:
        return organisation.pk in scopes.school_admin_orgs or scopes.in_centre(
            organisation.territory.path
        )
    if network is not None:
        return network.pk in scopes.coordinator_networks or scopes.in_centre(network.territory.path)
    if territory is not None:
        if scopes.in_centre(territory.path):
            return True
        return kind.curated and any(territory.path.startswith(p) for p in scopes.curator_paths)
    return False


def can_create_any(user) -> bool:
    return scopes_for(user).is_staff_anywhere


def can_edit_rules(user, kind: CommunityKind | None = None) -> bool:
    """Centre admins edit the rules of their territory's country; without a kind: any rules."""
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return True
    if kind is None:
        return bool(scopes.centre_countries)
    return kind.country in scopes.centre_countries


def visible_q(user) -> Q:
    """A filter for communities the user may see, for lists."""
    if not (user and user.is_authenticated):
        return Q(visibility=Community.Visibility.PUBLIC)
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return Q()
    q = Q(visibility=Community.Visibility.PUBLIC)
    q |= Q(visibility=Community.Visibility.INTERNAL) & scopes.territory_q(
        scopes.region_paths(), "territory__path"
    )
    q |= Q(Exists(Membership.objects.filter(community=OuterRef("pk"), person_id=user.pk)))
    if scopes.school_admin_orgs:
        q |= Q(organisation_id__in=scopes.school_admin_orgs)
    if scopes.coordinator_networks:
        q |= Q(network_id__in=scopes.coordinator_networks)
    q |= scopes.territory_q(scopes.centre_paths, "territory__path")
    if scopes.curator_paths:
        q |= Q(kind__curated=True) & scopes.territory_q(scopes.curator_paths, "territory__path")
    return q


def filter_visible(user, qs: QuerySet[Community]) -> QuerySet[Community]:
    return qs.filter(visible_q(user))


def leads_member_of(user, person) -> bool:
    """The user leads an active community the person is a member of now (004 §4.3, doc. 2, 6).

    Registered with people.permissions as a reason to see the person's databank record; read
    from the database every time, so a removed member or a replaced leader drops out at once.
    """
    if not (user and user.is_authenticated) or user.pk == person.pk:
        return False
    return Community.objects.filter(
        leader_id=user.pk,
        status=Community.Status.ACTIVE,
        memberships__person_id=person.pk,
    ).exists()


def can_view_team(user, community: Community) -> bool:
    """The team page (composition, self-education topics, databank records): its leader."""
    return (
        bool(user and user.is_authenticated)
        and community.is_active
        and community.leader_id is not None
        and community.leader_id == user.pk
    )


def can_see_pair_contacts(user, community: Community) -> bool:
    """The two sides of a pair reach each other by phone and e-mail (003 app. 3 §1.2): each sees
    the other's contacts on the pair's page; nobody else does there."""
    return (
        community.is_active
        and community.kind.requires_pair_roles
        and member_role(user, community) in (Membership.Role.MENTOR, Membership.Role.MENTEE)
    )


COUNCIL_KIND = "coordination_council"


def leads_council_over(user, community: Community) -> bool:
    """The user leads (chairs) an active coordination council over the community (001 §3): the
    council itself, a community on the council's territory, or a community of a network whose
    lead school is there. A council still hosted by a network covers that network only."""
    if not (user and user.is_authenticated):
        return False
    councils = list(
        Community.objects.filter(
            kind__code=COUNCIL_KIND, status=Community.Status.ACTIVE, leader_id=user.pk
        ).values_list("pk", "network_id", "territory__path")
    )
    if not councils:
        return False
    places = [community.territory.path]
    if community.network_id:
        lead_school_path = (
            Network.objects.filter(pk=community.network_id)
            .values_list("lead_school__territory__path", flat=True)
            .first()
        )
        places += [lead_school_path] if lead_school_path else []
    for pk, network_id, path in councils:
        if pk == community.pk:
            return True
        if network_id is not None:
            if network_id == community.network_id:
                return True
            continue
        if any(place.startswith(path) for place in places):
            return True
    return False


def council_leader_ids() -> list[int]:
    """Who chairs an active coordination council anywhere: the candidates `leads_council_over`
    decides among (one council per district, so a short list)."""
    return list(
        Community.objects.filter(
            kind__code=COUNCIL_KIND, status=Community.Status.ACTIVE, leader__isnull=False
        ).values_list("leader_id", flat=True)
    )


def can_view_growth(user, community: Community) -> bool:
    """A community's attestation list and composition (from its members' databank records):
    its leader, and the administrators who keep those records (school and centre admins of the
    host; 004 doc. 2). Each sees only the members whose records they may see
    (``growth_members``)."""
    if can_view_team(user, community):
        return True
    scopes = scopes_for(user)
    if not (scopes.is_superuser or scopes.school_admin_orgs or scopes.centre_paths):
        return False
    return community.is_active and administers(user, community)


def growth_members(user, community: Community):
    """The current members whose databank records the user may see: all of them for the
    leader (``leads_member_of``), else those the user administers."""
    members = Person.objects.filter(memberships__community=community)
    if can_view_team(user, community):
        return members
    return members.filter(databank_visible_q(user))


def can_register_online_page(user, community: Community) -> bool:
    """The community's online page and its administrators (003 app. 2 appendix): those who run
    the community — for a network group its curators and the centre (003 app. 2 §4.1)."""
    return can_edit(user, community)


def page_administrator_candidates(community: Community) -> QuerySet[Person]:
    """Who may be named an administrator of the page: the people `can_edit` lets run it — its
    leader, and the centre's staff over its territory (its curators for a curated kind), the
    school's administration or the network's coordinators of its host."""
    from people.models import RoleAssignment

    Role = RoleAssignment.Role
    ancestors = [int(i) for i in community.territory.path.strip("/").split("/") if i]
    roles = [Role.CENTRE_ADMIN, *([Role.CURATOR] if community.kind.curated else [])]
    q = Q(role__in=roles, territory_id__in=ancestors)
    if community.organisation_id:
        q |= Q(role=Role.SCHOOL_ADMIN, organisation_id=community.organisation_id)
    if community.network_id:
        q |= Q(role=Role.COORDINATOR, network_id=community.network_id)
    holders = RoleAssignment.objects.filter(q).values("person_id")
    return Person.objects.filter(
        Q(pk__in=holders) | Q(pk=community.leader_id or 0), is_active=True
    ).order_by("last_name", "first_name", "pk")


def groups_directory_q() -> Q:
    """The public list of online groups (003 order §3: the centre publishes it): active
    communities of curated kinds that are not members-only."""
    return Q(
        kind__curated=True,
        status=Community.Status.ACTIVE,
        visibility__in=[Community.Visibility.PUBLIC, Community.Visibility.INTERNAL],
    )


def can_add_members_from_list(user, community: Community) -> bool:
    """Moving a whole group in from a list is the job of those who run it from above (its
    curators, the centre, the school's administration, 003 app. 2 §4.1), not of a leader, who
    adds members one by one."""
    return community.is_active and administers(user, community)
