"""Reads for communities: querysets with their joins decided here, and the rule check."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.scopes import scopes_for
from core.text import search_key
from organisations.models import Territory
from people import selectors as people_selectors
from people.models import Person, Position

from . import permissions
from .models import (
    PARENT_KINDS,
    Community,
    CommunityKind,
    GroupAdministrator,
    Membership,
    MembershipRequest,
)


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


def councils_over_network(*, user, network) -> QuerySet[Community]:
    """The coordination councils of the district(s) holding the network's lead school (001 §3),
    hosted by the territory, that the user may see."""
    territory = network.lead_school.territory
    return community_list(user=user, kind=permissions.COUNCIL_KIND).filter(
        territory_id__in=territory.ancestor_ids(),
        organisation__isnull=True,
        network__isnull=True,
    )


def may_break_rules_q() -> Q:
    """The rule check in SQL, for lists at the scale of a region.

    It may include a community whose members happen to share one subject without the
    community naming it; rule_violations() gives the exact answer for the rows shown.
    """
    role = Membership.objects.filter(community=OuterRef("pk"))
    low_school = Position.objects.filter(person=OuterRef("person"), organisation__low_results=True)
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
        | (
            Q(kind__pair_by_results=True)
            & (
                Exists(role.filter(role=Membership.Role.MENTEE).filter(~Exists(low_school)))
                | Exists(
                    role.filter(role=Membership.Role.MENTOR).filter(
                        Exists(low_school)
                        | ~Exists(Position.objects.filter(person=OuterRef("person")))
                    )
                )
            )
        )
        | Q(kind__single_subject=True, subject_area="")
        | (Q(kind__requires_end_date=True) & (Q(end_date__isnull=True) | Q(topic="")))
    )


def community_detail(pk: int) -> Community:
    return Community.objects.select_related(
        "kind",
        "organisation__territory",
        "network__territory",
        "territory",
        "leader",
        "successor",
        "parent",
    ).get(pk=pk)


def community_for_member_pages(pk: int) -> Community:
    """A community as its plans, meetings and decisions pages open it: with what their
    permission checks read, not the hosts and people the community's own page shows."""
    return Community.objects.select_related("kind", "territory").get(pk=pk)


def teams_of(community: Community) -> list[Community]:
    """The lesson-study teams and micro-groups working inside a PLC (002 #6)."""
    return list(
        community.teams.filter(status=Community.Status.ACTIVE)
        .select_related("kind", "leader", "territory")
        .order_by("name", "id")
    )


def parent_candidates(community: Community, user=None) -> QuerySet[Community]:
    """The PLCs of the team's own school it may be placed under: with `user`, those the user
    may run (`permissions.can_take_team`), and the one it is under now, whoever runs it."""
    qs = Community.objects.filter(
        organisation_id=community.organisation_id,
        kind__code__in=PARENT_KINDS,
        status=Community.Status.ACTIVE,
    ).exclude(pk=community.pk)
    if user is not None:
        qs = qs.filter(permissions.editable_q(user) | Q(pk=community.parent_id))
    return qs.order_by("name", "id")


def parents_to_pick(user) -> QuerySet[Community]:
    """The PLCs a new team may be placed under by `user`: those the user may run, of any school
    (the form checks that it is the new team's)."""
    return (
        Community.objects.filter(kind__code__in=PARENT_KINDS)
        .filter(permissions.editable_q(user))
        .select_related("organisation")
    )


def search_communities(qs: QuerySet[Community], q: str) -> QuerySet[Community]:
    """Communities whose name, subject or topic holds the typed words, for pickers."""
    for word in search_key(q).split()[:5]:
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("name", "id")


def community_label(community: Community) -> str:
    host = community.organisation
    if host is None:
        return community.name
    return f"{community.name} — {host.short_name or host.name}"


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


def host_administrators(community: Community) -> list:
    """Who administers the community's host, as `permissions.administers` answers, holding the
    role at the host itself: the school's administration, the network's coordinators, or for a
    territory's community the centre (and curators of a curated kind) of that territory or above.
    The centre above a school or a network is not counted: it oversees, it does not run them."""
    from people.roles import holders_over

    if community.organisation_id or community.network_id:
        people = holders_over(
            organisation_id=community.organisation_id, network_id=community.network_id
        )
    else:
        people = holders_over(territory_path=community.territory.path)
    return [p for p in people if permissions.administers(p, community)]


def request_deciders(request: MembershipRequest) -> list:
    """Who answers a join request: the community's leader, or its host's administrators when it
    has none (both may, by `permissions.can_manage_members`)."""
    community = request.community
    if community.leader_id:
        leader = community.leader
        return [leader] if leader.is_active else []
    return [
        p for p in host_administrators(community) if permissions.can_manage_members(p, community)
    ]


def kinds() -> QuerySet[CommunityKind]:
    """Every country's copy of every kind's rules."""
    return CommunityKind.objects.all()


def kind_choices() -> QuerySet[CommunityKind]:
    """One copy per kind, for pickers and filters: services use the copy of the host's country."""
    return CommunityKind.objects.filter(country=CommunityKind.Country.RU)


PAIR_ROLES = (Membership.Role.MENTOR, Membership.Role.MENTEE)


def pair_results_problem(
    kind: CommunityKind, role: str, person, positions: list[Position] | None = None
) -> str | None:
    """Why the person cannot take this side of a pair (003 app. 3), or None.

    The mentee leads a school in the low educational results programme (ШНОР); the mentor works
    at a school that is not in it. `positions` may be given already read (with organisations).
    """
    if not kind.pair_by_results or role not in PAIR_ROLES:
        return None
    if positions is None:
        positions = list(Position.objects.filter(person=person).select_related("organisation"))
    places = {p.organisation_id: p.organisation for p in positions}
    low = [o for o in places.values() if o.low_results]
    params = {"kind": kind.name, "person": person.full_name}
    if role == Membership.Role.MENTEE:
        if low:
            return None
        if not places:
            return (
                _(
                    "The mentee of a %(kind)s works at a school in the low educational results "
                    "programme; no place of work is recorded for %(person)s."
                )
                % params
            )
        return _(
            "The mentee of a %(kind)s works at a school in the low educational results "
            "programme; %(person)s works at %(places)s, which is not in it."
        ) % (params | {"places": ", ".join(sorted(o.name for o in places.values()))})
    if not places:
        return (
            _(
                "The mentor of a %(kind)s works at a school outside the low educational results "
                "programme; no place of work is recorded for %(person)s."
            )
            % params
        )
    if low:
        return _(
            "The mentor of a %(kind)s works at a school outside the low educational results "
            "programme; %(person)s works at %(places)s, which is in it."
        ) % (params | {"places": ", ".join(sorted(o.name for o in low))})
    return None


def _pair_sides(members: list[Membership]) -> list[tuple[Membership, Person, list[Position]]]:
    """The pair's mentor and mentee with where they work: as members_of() read them, or in two
    queries for lists that read the memberships alone."""
    sides = [m for m in members if m.role in PAIR_ROLES]
    if all(
        Membership.person.is_cached(m)
        and "positions" in getattr(m.person, "_prefetched_objects_cache", {})
        for m in sides
    ):
        return [(m, m.person, list(m.person.positions.all())) for m in sides]
    people = Person.objects.filter(pk__in=[m.person_id for m in sides]).prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organisation"))
    )
    by_id = {p.pk: p for p in people}
    return [(m, by_id[m.person_id], list(by_id[m.person_id].positions.all())) for m in sides]


def pair_partners(community: Community, user) -> list[Membership]:
    """The other side of the user's pair, with their contacts (003 app. 3 §1.2)."""
    return list(
        community.memberships.filter(role__in=PAIR_ROLES)
        .exclude(person_id=user.pk)
        .select_related("person")
        .order_by("role", "id")
    )


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
        members = community.memberships.all()
        if kind.pair_by_results:
            members = members.select_related("person").prefetch_related(
                "person__positions__organisation"
            )
        members = list(members)
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
    if kind.pair_by_results:
        for m, person, positions in _pair_sides(members):
            problem = pair_results_problem(kind, m.role, person, positions)
            if problem:
                out.append(Violation(f"{m.role}_school", problem))
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
    if kind.pair_by_results:
        lines.append(
            _(
                "The mentee works at a school in the low educational results programme, "
                "the mentor at a school that is not."
            )
        )
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
    if kind.report_receiver:
        lines.append(
            _("Annual report goes to: %(who)s.") % {"who": kind.get_report_receiver_display()}
        )
    lines.append(_("Plan approved by: %(who)s.") % {"who": kind.get_plan_approver_display()})
    if kind.separate_approval and kind.host_type == CommunityKind.Host.ORGANISATION:
        lines.append(_("Whoever agrees the plan does not also approve it."))
    if kind.min_innovative_lessons_per_year:
        lines.append(
            _("Each teacher gives at least %(n)d innovative or open lessons a school year.")
            % {"n": kind.min_innovative_lessons_per_year}
        )
    if kind.meeting_time_agreed and kind.host_type == CommunityKind.Host.ORGANISATION:
        lines.append(_("Each meeting's time and place are agreed with the deputy director."))
    if kind.curated:
        lines.append(_("Administered by curators of the territory."))
    return lines


# The team's composition uses the databank's experience bands (0–3, 3–5, 5–10, 10–20, 20+).
EXPERIENCE_BANDS = people_selectors.EXPERIENCE_BANDS
experience_band = people_selectors.experience_band


@dataclass(frozen=True)
class Team:
    """What a leader sees of the team (004 doc. 2, 6): each member with the databank fields
    the composition is counted from, and the counts."""

    members: list[Membership]
    by_category: list[tuple[str, int]]
    by_education: list[tuple[str, int]]
    by_experience: list[tuple[str, int]]


def _counts(values: list[str], *, order: list[str] | None = None) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    keys = order if order is not None else sorted(counts, key=lambda k: (-counts[k], k))
    return [(key, counts[key]) for key in keys if counts.get(key)]


def team_of(community: Community) -> Team:
    """The current members with their databank records, in two queries whatever the size."""
    members = list(
        community.memberships.select_related(
            "person__teacher_profile__qualification_category"
        ).order_by("role", "person__last_name", "person__first_name", "id")
    )
    not_given = str(_("not given"))
    categories, education, experience = [], [], []
    for membership in members:
        profile = getattr(membership.person, "teacher_profile", None)
        membership.record = profile
        category = profile.qualification_category if profile else None
        categories.append(category.name if category else str(_("no category")))
        education.append((profile.education.strip() if profile else "") or not_given)
        experience.append(experience_band(profile.experience_teaching if profile else None))
    bands = [str(label) for _upper, label in EXPERIENCE_BANDS] + [not_given]
    return Team(
        members=members,
        by_category=_counts(categories),
        by_education=_counts(education),
        by_experience=_counts(experience, order=bands),
    )


PLATFORMS = (
    ("vk.com", "ВКонтакте"),
    ("vk.ru", "ВКонтакте"),
    ("ok.ru", "Одноклассники"),
    ("t.me", "Telegram"),
    ("telegram.me", "Telegram"),
    ("max.ru", "MAX"),
    ("sferum.ru", "Сферум"),
    ("youtube.com", "YouTube"),
    ("rutube.ru", "RUTUBE"),
    ("instagram.com", "Instagram"),
    ("facebook.com", "Facebook"),
)


def online_platform(url: str) -> str:
    """The network a group's page is on, named as people call it, from the address."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.").removeprefix("m.")
    for domain, name in PLATFORMS:
        if host == domain or host.endswith("." + domain):
            return name
    return host


def groups_directory(territory_id: int | None = None) -> QuerySet[Community]:
    """The public list of online groups with their administrators (003 app. 2 appendix)."""
    groups = Community.objects.filter(permissions.groups_directory_q())
    if territory_id:
        path = Territory.objects.filter(pk=territory_id).values_list("path", flat=True).first()
        groups = groups.filter(territory__path__startswith=path) if path else groups.none()
    return (
        groups.select_related("kind", "territory")
        .prefetch_related(
            Prefetch(
                "page_administrators",
                queryset=GroupAdministrator.objects.select_related("person").order_by(
                    "order", "id"
                ),
            )
        )
        .order_by("territory__name", "kind__name", "name", "id")
    )


def page_administrators(community: Community) -> QuerySet[GroupAdministrator]:
    return community.page_administrators.select_related("person").order_by("order", "id")
