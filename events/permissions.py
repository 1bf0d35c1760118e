"""Who may see, organise, register for and attend events. Pages, API, admin and notices ask here.

- An event is run (edited, announced, cancelled, attendance marked, analysed) by its organisers:
  the responsible person, the organising community's leader and host administrators, the
  organising school's administration, the network's coordinators, and the centre of the
  territory the event belongs to (`may_manage`).
- A draft is seen by its organisers only. An announced, cancelled or held event is seen by
  everyone when open; an event for a community's members by those who may see its members; any
  other by signed-in people of its region. Registered people always see their events.
- Registration is for the audience: the community's members, the school's or the network's
  schools' staff, people working in the territory, or any signed-in person for an open event.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from communities import permissions as community_permissions
from communities.models import Community, Membership
from communities.selectors import administered_communities
from core.scopes import scopes_for
from people.models import Position

from .models import Event, Registration

ACTIVE = (Registration.Status.REGISTERED, Registration.Status.WAITLISTED)
RUNNING = (Event.Status.ANNOUNCED, Event.Status.HELD)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def may_manage(person, event: Event) -> bool:
    """The event's organisers: its responsible person, the organising community's leader and
    host administrators, the organising school's administration or network's coordinators, and
    the centre administrators over the event's territory."""
    scopes = scopes_for(person)
    if not scopes.is_authenticated:
        return False
    if scopes.is_superuser or event.responsible_id == person.pk:
        return True
    if scopes.in_centre(event.territory.path):
        return True
    if event.organiser_community_id:
        community = event.organiser_community
        return community.leader_id == person.pk or community_permissions.administers(
            person, community
        )
    if event.organiser_organisation_id:
        return event.organiser_organisation_id in scopes.school_admin_orgs
    if event.organiser_network_id:
        return event.organiser_network_id in scopes.coordinator_networks
    return False


def managed_q(user) -> Q:
    """The list form of `may_manage`, for querysets of events."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return Q(pk__in=[])
    if scopes.is_superuser:
        return Q()
    q = Q(responsible_id=user.pk)
    q |= Q(organiser_community__in=administered_communities(user).values("pk"))
    if scopes.school_admin_orgs:
        q |= Q(organiser_organisation_id__in=scopes.school_admin_orgs)
    if scopes.coordinator_networks:
        q |= Q(organiser_network_id__in=scopes.coordinator_networks)
    q |= scopes.territory_q(scopes.centre_paths, "territory__path")
    return q


def can_create_for(
    user, *, community=None, organisation=None, network=None, territory=None
) -> bool:
    """Who may organise an event on behalf of the organiser named."""
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
        return scopes.in_centre(territory.path)
    return False


def can_create_any(user) -> bool:
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    return bool(
        scopes.is_superuser
        or scopes.centre_paths
        or scopes.school_admin_orgs
        or scopes.coordinator_networks
        or administered_communities(user).filter(status=Community.Status.ACTIVE).exists()
    )


def is_registered(user, event: Event) -> bool:
    return (
        _signed_in(user)
        and Registration.objects.filter(event=event, person_id=user.pk, status__in=ACTIVE).exists()
    )


def can_view(user, event: Event) -> bool:
    if event.status == Event.Status.DRAFT:
        return may_manage(user, event)
    if event.audience == Event.Audience.OPEN:
        return True
    if not _signed_in(user):
        return False
    if is_registered(user, event) or may_manage(user, event):
        return True
    if event.audience == Event.Audience.MEMBERS and event.organiser_community_id:
        return community_permissions.can_view_members(user, event.organiser_community)
    return scopes_for(user).in_region(event.territory.path)


def visible_q(user) -> Q:
    """The list form of `can_view`, for querysets of events."""
    published = ~Q(status=Event.Status.DRAFT)
    if not _signed_in(user):
        return published & Q(audience=Event.Audience.OPEN)
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return Q()
    registered = Exists(
        Registration.objects.filter(event_id=OuterRef("pk"), person_id=user.pk, status__in=ACTIVE)
    )
    members_q = Q(audience=Event.Audience.MEMBERS) & Q(
        organiser_community__in=community_permissions.filter_visible(
            user, Community.objects.all()
        ).values("pk")
    )
    region_q = ~Q(audience=Event.Audience.MEMBERS) & scopes.territory_q(
        scopes.region_paths(), "territory__path"
    )
    return (
        published & (Q(audience=Event.Audience.OPEN) | members_q | region_q | Q(registered))
    ) | managed_q(user)


def audience_organisation_id(event: Event) -> int | None:
    if event.organiser_organisation_id:
        return event.organiser_organisation_id
    if event.organiser_community_id:
        return event.organiser_community.organisation_id
    return None


def audience_network_id(event: Event) -> int | None:
    if event.organiser_network_id:
        return event.organiser_network_id
    if event.organiser_community_id:
        return event.organiser_community.network_id
    return None


def in_audience(user, event: Event) -> bool:
    """Whether the person is among those the event is for."""
    if not _signed_in(user):
        return False
    audience = event.audience
    if audience == Event.Audience.OPEN:
        return True
    if audience == Event.Audience.MEMBERS:
        return bool(event.organiser_community_id) and community_permissions.is_member(
            user, event.organiser_community
        )
    positions = Position.objects.filter(person_id=user.pk)
    if audience == Event.Audience.SCHOOL:
        org = audience_organisation_id(event)
        return bool(org) and positions.filter(organisation_id=org).exists()
    if audience == Event.Audience.NETWORK:
        network = audience_network_id(event)
        return (
            bool(network)
            and positions.filter(organisation__network_memberships__network_id=network).exists()
        )
    return positions.filter(organisation__territory__path__startswith=event.territory.path).exists()


def audience_q(event: Event) -> Q:
    """The people (a filter on Person) the event is for: the list form of `in_audience`."""
    audience = event.audience
    if audience == Event.Audience.OPEN:
        return Q(pk__in=[])  # nobody in particular: the calendar announces it
    if audience == Event.Audience.MEMBERS:
        return Q(
            Exists(
                Membership.objects.filter(
                    community_id=event.organiser_community_id, person_id=OuterRef("pk")
                )
            )
        )
    if audience == Event.Audience.SCHOOL:
        lookup = {"organisation_id": audience_organisation_id(event)}
    elif audience == Event.Audience.NETWORK:
        lookup = {"organisation__network_memberships__network_id": audience_network_id(event)}
    else:
        lookup = {"organisation__territory__path__startswith": event.territory.path}
    return Q(Exists(Position.objects.filter(person_id=OuterRef("pk"), **lookup)))


def is_open_for_registration(event: Event) -> bool:
    return event.status == Event.Status.ANNOUNCED and event.starts_at > timezone.now()


def can_register(user, event: Event) -> bool:
    return (
        is_open_for_registration(event)
        and in_audience(user, event)
        and not is_registered(user, event)
        and can_view(user, event)
    )


def can_cancel_registration(user, event: Event) -> bool:
    return is_open_for_registration(event) and is_registered(user, event)


def can_edit(user, event: Event) -> bool:
    """Title, time, place, programme: while a draft or announced."""
    return event.status in (Event.Status.DRAFT, Event.Status.ANNOUNCED) and may_manage(user, event)


def can_announce(user, event: Event) -> bool:
    return event.status == Event.Status.DRAFT and may_manage(user, event)


def can_cancel(user, event: Event) -> bool:
    return event.status in (Event.Status.DRAFT, Event.Status.ANNOUNCED) and may_manage(user, event)


def can_mark_attendance(user, event: Event) -> bool:
    """From the announcement on, also after it is held (a late correction)."""
    return event.status in RUNNING and may_manage(user, event)


def can_close_attendance(user, event: Event) -> bool:
    """The organiser marks the event held once it has started."""
    return (
        event.status == Event.Status.ANNOUNCED
        and event.starts_at <= timezone.now()
        and may_manage(user, event)
    )


def can_check_in(user, event: Event) -> bool:
    """A registered person marks themselves present with the event's QR code while it runs."""
    return event.status in RUNNING and is_registered(user, event)


def attended(user, event: Event) -> bool:
    return (
        _signed_in(user)
        and Registration.objects.filter(
            event=event, person_id=user.pk, status=Registration.Status.REGISTERED, attended=True
        ).exists()
    )


def can_leave_feedback(user, event: Event) -> bool:
    """Once per attendee, after the event has started."""
    from .models import Feedback

    return (
        event.status in RUNNING
        and event.starts_at <= timezone.now()
        and attended(user, event)
        and not Feedback.objects.filter(event=event, person_id=user.pk).exists()
    )


def can_analyse(user, event: Event) -> bool:
    """The organiser's analysis, materials and protocol: of an event not cancelled."""
    return event.status != Event.Status.CANCELLED and may_manage(user, event)


def can_download_protocol(user, event: Event) -> bool:
    """The olympiad stage's protocol (XLSX, and the paper version as DOCX and PDF): whoever sees
    the event, as its page shows the protocol (pupils by first name, initial and class only)."""
    return event.kind.has_protocol and can_view(user, event)


def can_download_report(user, event: Event) -> bool:
    """The analysis (a decade's final report) as DOCX and PDF, with attendance and feedback
    figures: those who write it, the event's organisers."""
    return can_analyse(user, event)


def can_see_registrations(user, event: Event) -> bool:
    return may_manage(user, event)
