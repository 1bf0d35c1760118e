"""Who may do what to territories, organisations and networks. Pages, API and admin ask here."""

from __future__ import annotations

from django.db.models import QuerySet

from core.scopes import scopes_for

from .models import Network, Organisation, Territory


def can_view_directory(user) -> bool:
    return bool(user and user.is_authenticated)


def can_create_organisation(user) -> bool:
    scopes = scopes_for(user)
    return scopes.is_superuser or bool(scopes.centre_paths)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    return organisation.pk in scopes.school_admin_orgs or scopes.in_centre(
        organisation.territory.path
    )


def can_manage_organisation_staff(user, organisation: Organisation) -> bool:
    """Import teachers, export the databank and read the access log of one organisation."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    return organisation.pk in scopes.school_admin_orgs or scopes.in_centre(
        organisation.territory.path
    )


def can_create_network(user) -> bool:
    return can_create_organisation(user)


def can_edit_network(user, network: Network) -> bool:
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    return network.pk in scopes.coordinator_networks or scopes.in_centre(network.territory.path)


def can_manage_territory(user, territory: Territory) -> bool:
    scopes = scopes_for(user)
    return scopes.is_authenticated and scopes.in_centre(territory.path)


def manageable_territories(user) -> QuerySet[Territory]:
    """Territories a user may place organisations and networks in."""
    scopes = scopes_for(user)
    qs = Territory.objects.all()
    if scopes.is_superuser:
        return qs
    return qs.filter(scopes.territory_q(scopes.centre_paths, "path"))
