"""Who may build, open, answer a survey and see its results. Pages, API, exports ask here.

- Build (create, edit, open, close): the owner's administration — a community's leader and the
  administrators of its host; a school's administration; a network's coordinator; the centre
  (and the curators) of a territory; the centre above any of them — and the survey's author
  while they still may create in that place.
- Answer: the audience — the owner's people (a community's members, a school's staff, the staff
  of a network's schools, of a territory's organisations) or anyone signed in — once, while open.
  "Anonymous" is about storage: answering always needs signing in.
- Results: the builders. An anonymous survey's results stay hidden until MIN_ANONYMOUS people
  answered (`results_shown`), on every surface.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from communities import permissions as community_permissions
from communities.models import Membership
from communities.selectors import administered_communities
from core.scopes import scopes_for
from organisations.models import Network, NetworkMembership
from people.models import Person, Position

from .models import Participation, Survey


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def can_create_in(user, *, community=None, organisation=None, network=None, territory=None) -> bool:
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    if scopes.is_superuser:
        return True
    if community is not None:
        return community_permissions.can_edit(user, community)
    if organisation is not None:
        return organisation.pk in scopes.school_admin_orgs or scopes.in_centre(
            organisation.territory.path
        )
    if network is not None:
        return network.pk in scopes.coordinator_networks or scopes.in_centre(network.territory.path)
    if territory is not None:
        return scopes.in_centre(territory.path) or scopes.in_curation(territory.path)
    return False


def can_create_any(user) -> bool:
    """Someone who may build a survey somewhere: staff anywhere or a community's leader."""
    if not _signed_in(user):
        return False
    if scopes_for(user).is_staff_anywhere:
        return True
    return administered_communities(user).filter(status="active").exists()


def _scope(survey: Survey) -> dict:
    return {
        "community": survey.community,
        "organisation": survey.organisation,
        "network": survey.network,
        "territory": survey.territory,
    }


def can_manage(user, survey: Survey) -> bool:
    return can_create_in(user, **_scope(survey))


def can_edit(user, survey: Survey) -> bool:
    """The questions change while the survey is not closed; answered ones are kept (services)."""
    return survey.status != Survey.Status.CLOSED and can_manage(user, survey)


def can_open(user, survey: Survey) -> bool:
    return survey.status == Survey.Status.DRAFT and can_manage(user, survey)


def can_close(user, survey: Survey) -> bool:
    return survey.status == Survey.Status.OPEN and can_manage(user, survey)


def can_delete(user, survey: Survey) -> bool:
    """A draft nobody answered may be thrown away."""
    return (
        survey.status == Survey.Status.DRAFT
        and survey.response_count == 0
        and (can_manage(user, survey))
    )


# -- the audience ------------------------------------------------------------------------------


def _network_org_ids(network_id: int) -> list[int]:
    lead = Network.objects.filter(pk=network_id).values_list("lead_school_id", flat=True)
    members = NetworkMembership.objects.filter(network_id=network_id).values_list(
        "organisation_id", flat=True
    )
    return [*lead, *members]


def in_audience(user, survey: Survey) -> bool:
    if not _signed_in(user):
        return False
    if survey.audience == Survey.Audience.SIGNED_IN:
        return True
    if survey.audience == Survey.Audience.PEOPLE:
        return survey.respondents.filter(pk=user.pk).exists()
    if survey.community_id:
        return community_permissions.is_member(user, survey.community)
    positions = Position.objects.filter(person_id=user.pk)
    if survey.organisation_id:
        return positions.filter(organisation_id=survey.organisation_id).exists()
    if survey.network_id:
        return positions.filter(organisation_id__in=_network_org_ids(survey.network_id)).exists()
    if survey.territory_id:
        return positions.filter(
            organisation__territory__path__startswith=survey.territory.path
        ).exists()
    return False


def audience_people(survey: Survey):
    """The people asked to answer (for the notice): an open-to-all survey asks nobody in
    particular, a survey of named people asks them."""
    if survey.audience == Survey.Audience.SIGNED_IN:
        return Person.objects.none()
    if survey.audience == Survey.Audience.PEOPLE:
        return survey.respondents.filter(is_active=True)
    return owner_people(survey)


def owner_people(survey: Survey):
    """The people of the survey's owner: members, staff, the network's or territory's schools."""
    people = Person.objects.filter(is_active=True)
    if survey.community_id:
        return people.filter(
            pk__in=Membership.objects.filter(community_id=survey.community_id).values("person_id")
        )
    if survey.organisation_id:
        orgs = [survey.organisation_id]
    elif survey.network_id:
        orgs = _network_org_ids(survey.network_id)
    else:
        return people.filter(
            pk__in=Position.objects.filter(
                organisation__territory__path__startswith=survey.territory.path
            ).values("person_id")
        )
    return people.filter(
        pk__in=Position.objects.filter(organisation_id__in=orgs).values("person_id")
    )


def is_open_now(survey: Survey) -> bool:
    now = timezone.now()
    return (
        survey.status == Survey.Status.OPEN
        and (survey.opens_at is None or survey.opens_at <= now)
        and (survey.closes_at is None or now < survey.closes_at)
    )


def has_answered(user, survey: Survey) -> bool:
    return (
        _signed_in(user)
        and Participation.objects.filter(survey_id=survey.pk, person_id=user.pk).exists()
    )


def can_answer(user, survey: Survey) -> bool:
    return is_open_now(survey) and in_audience(user, survey) and not has_answered(user, survey)


def can_view(user, survey: Survey) -> bool:
    if not _signed_in(user):
        return False
    if can_manage(user, survey):
        return True
    return survey.status != Survey.Status.DRAFT and in_audience(user, survey)


def can_view_results(user, survey: Survey) -> bool:
    return can_manage(user, survey)


def results_shown(survey: Survey) -> bool:
    return not survey.results_hidden


# -- list forms ---------------------------------------------------------------------------------


def managed_q(user) -> Q:
    """The list form of `can_manage`."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return Q(pk__in=[])
    if scopes.is_superuser:
        return Q(pk__isnull=False)  # not Q(): an empty Q vanishes when OR-ed with another
    q = Q(community__in=administered_communities(user).filter(status="active").values("pk"))
    q |= scopes.territory_q(scopes.centre_paths, "organisation__territory__path")
    q |= scopes.territory_q(scopes.centre_paths, "network__territory__path")
    q |= scopes.territory_q(scopes.centre_paths, "territory__path")
    q |= scopes.territory_q(scopes.curator_paths, "territory__path")
    if scopes.school_admin_orgs:
        q |= Q(organisation_id__in=scopes.school_admin_orgs)
    if scopes.coordinator_networks:
        q |= Q(network_id__in=scopes.coordinator_networks)
    return q


def audience_q(user, *, open_to_all: bool = True) -> Q:
    """The list form of `in_audience` for surveys that are not drafts; without those open to
    anyone signed in when `open_to_all` is false (they ask nobody in particular)."""
    if not _signed_in(user):
        return Q(pk__in=[])
    positions = Position.objects.filter(person_id=user.pk)
    orgs = positions.values("organisation_id")
    in_network = Q(network__lead_school_id__in=orgs) | Q(
        Exists(
            NetworkMembership.objects.filter(
                network_id=OuterRef("network_id"), organisation_id__in=orgs
            )
        )
    )
    paths = list(positions.values_list("organisation__territory__path", flat=True))
    in_territory = Q(pk__in=[])
    for path in set(paths):
        # A territory's survey reaches the organisations below it: the survey's path is a prefix.
        ancestors = [p for p in _prefixes(path)]
        in_territory |= Q(territory__path__in=ancestors)
    scope = (
        Q(community__in=Membership.objects.filter(person_id=user.pk).values("community_id"))
        | Q(organisation_id__in=orgs)
        | (Q(network__isnull=False) & in_network)
        | in_territory
    )
    scope = Q(audience=Survey.Audience.SCOPE) & scope
    scope |= Q(audience=Survey.Audience.PEOPLE, respondents=user.pk)
    if open_to_all:
        scope |= Q(audience=Survey.Audience.SIGNED_IN)
    return ~Q(status=Survey.Status.DRAFT) & scope


def _prefixes(path: str) -> list[str]:
    ids = [i for i in path.strip("/").split("/") if i]
    return ["/" + "".join(f"{i}/" for i in ids[: n + 1]) for n in range(len(ids))]


def visible_q(user) -> Q:
    if not _signed_in(user):
        return Q(pk__in=[])
    return managed_q(user) | audience_q(user)


def waiting_q(user) -> Q:
    """Surveys the person still has to answer: open now, theirs to answer, not answered."""
    if not _signed_in(user):
        return Q(pk__in=[])
    now = timezone.now()
    answered = Participation.objects.filter(survey_id=OuterRef("pk"), person_id=user.pk)
    return (
        audience_q(user, open_to_all=False)
        & Q(status=Survey.Status.OPEN)
        & (Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        & (Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        & ~Q(Exists(answered))
    )
