"""Who may import and see pupils' results. Pages, the API and the services ask here."""

from __future__ import annotations

from core.scopes import scopes_for


def can_import_results(user, organisation) -> bool:
    """The school's administration (director, deputies: school admins) and the centre of its
    territory load a school's results."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    return organisation.pk in scopes.school_admin_orgs or scopes.in_centre(
        organisation.territory.path
    )


def can_view_school_results(user, organisation) -> bool:
    """A school's indicators and rows: those who import them and the territory's curators."""
    if can_import_results(user, organisation):
        return True
    scopes = scopes_for(user)
    return scopes.is_authenticated and scopes.in_curation(organisation.territory.path)


def can_view_community_results(user, community) -> bool:
    """A community's indicators (its members' classes): its leader and its administrators."""
    from communities.permissions import administers

    if not (user and user.is_authenticated):
        return False
    return community.leader_id == user.pk or administers(user, community)


def can_view_network_results(user, network) -> bool:
    """A network's results: its coordinator, and the centre and curators of its territory."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    path = network.territory.path
    return (
        network.pk in scopes.coordinator_networks
        or scopes.in_centre(path)
        or scopes.in_curation(path)
    )


def can_view_territory_results(user, territory) -> bool:
    """A territory's results: its centre and curators (and those of the territories above)."""
    scopes = scopes_for(user)
    return scopes.is_authenticated and (
        scopes.in_centre(territory.path) or scopes.in_curation(territory.path)
    )


def can_mark_innovative_classes(user, organisation) -> bool:
    """Which classes do innovative work is the school administration's to say (those who load
    the school's results), as part of its own monitoring."""
    return can_import_results(user, organisation)
