"""Writes for territories, organisations and networks.

Each write is an action: it takes the acting person, asks this app's policy and runs in one
transaction, so the pages, the API and the admin cannot apply a rule differently. `actor=None`
is a trusted caller that no person stands behind (demo data, data fixes): no policy is asked.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.actions import require

from . import permissions
from .models import Network, NetworkMembership, Organisation, Territory


def _may_place(actor, territory: Territory, current_id: int | None = None) -> bool:
    """An organisation or network goes only into a territory its actor administers; one that
    stays where it is needs no such right (a school's director edits the rest)."""
    if territory is None or territory.pk == current_id:
        return True
    return permissions.can_manage_territory(actor, territory)


ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "kind",
    "territory",
    "address",
    "email",
    "phone",
    "website",
    "low_results",
    "difficult_conditions",
    "high_results",
    "is_active",
)
NETWORK_FIELDS = (
    "name",
    "territory",
    "lead_school",
    "description",
    "methodological_theme",
    "theme_start_year",
    "theme_end_year",
)


@transaction.atomic
def update_territory(
    *, actor, territory: Territory, name: str, kind: str, country_code: str, language: str = ""
) -> Territory:
    """Rename or re-classify a territory, or set its people's default language; moving it under
    another parent is an admin's job."""
    require(actor, lambda: permissions.can_manage_territory(actor, territory))
    territory.name, territory.kind, territory.country_code = name, kind, country_code
    territory.language = language
    territory.full_clean(exclude=["path"])
    territory.save()
    return territory


@transaction.atomic
def create_territory(
    *,
    actor,
    name: str,
    kind: str,
    parent: Territory | None = None,
    country_code: str = "RU",
    language: str = "",
) -> Territory:
    """A centre adds territories inside its own; only a superuser adds a top-level one."""
    require(
        actor,
        lambda: (
            permissions.can_create_organisation(actor)
            and (
                permissions.can_manage_territory(actor, parent)
                if parent is not None
                else actor.is_superuser
            )
        ),
    )
    territory = Territory(
        name=name, kind=kind, parent=parent, country_code=country_code, language=language
    )
    territory.full_clean(exclude=["path"])
    territory.save()
    return territory


def _apply(obj, fields, changes):
    for field, value in changes.items():
        if field not in fields:
            raise ValueError(f"{field} cannot be set here")
        setattr(obj, field, value)


@transaction.atomic
def create_organisation(*, actor, **fields) -> Organisation:
    require(
        actor,
        lambda: (
            permissions.can_create_organisation(actor)
            and _may_place(actor, fields.get("territory"))
        ),
    )
    organisation = Organisation()
    _apply(organisation, ORGANISATION_FIELDS, fields)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def update_organisation(*, actor, organisation: Organisation, **changes) -> Organisation:
    require(
        actor,
        lambda: (
            permissions.can_edit_organisation(actor, organisation)
            and _may_place(actor, changes.get("territory"), organisation.territory_id)
        ),
    )
    _apply(organisation, ORGANISATION_FIELDS, changes)
    organisation.full_clean()
    organisation.save()
    return organisation


def _validate_network(network: Network) -> None:
    if (
        network.theme_start_year
        and network.theme_end_year
        and network.theme_end_year < network.theme_start_year
    ):
        raise ValidationError({"theme_end_year": _("The theme cannot end before it starts.")})
    if network.theme_start_year and network.theme_end_year:
        span = network.theme_end_year - network.theme_start_year + 1
        if span > 5:
            raise ValidationError(
                {"theme_end_year": _("A methodological theme runs for 3 to 5 years.")}
            )


@transaction.atomic
def create_network(*, actor, **fields) -> Network:
    require(
        actor,
        lambda: (
            permissions.can_create_network(actor) and _may_place(actor, fields.get("territory"))
        ),
    )
    network = Network()
    _apply(network, NETWORK_FIELDS, fields)
    _validate_network(network)
    network.full_clean()
    network.save()
    return network


@transaction.atomic
def update_network(*, actor, network: Network, **changes) -> Network:
    require(
        actor,
        lambda: (
            permissions.can_edit_network(actor, network)
            and _may_place(actor, changes.get("territory"), network.territory_id)
        ),
    )
    _apply(network, NETWORK_FIELDS, changes)
    _validate_network(network)
    network.full_clean()
    network.save()
    NetworkMembership.objects.filter(network=network, organisation=network.lead_school).delete()
    return network


@transaction.atomic
def add_network_school(
    *, actor, network: Network, organisation: Organisation, role: str
) -> NetworkMembership:
    require(actor, lambda: permissions.can_edit_network(actor, network))
    if organisation.pk == network.lead_school_id:
        raise ValidationError({"organisation": _("The lead school already leads this network.")})
    if role not in NetworkMembership.Role.values:
        raise ValidationError({"role": _("Choose partner or magnet school.")})
    membership, _created = NetworkMembership.objects.update_or_create(
        network=network, organisation=organisation, defaults={"role": role}
    )
    return membership


@transaction.atomic
def remove_network_school(*, actor, network: Network, organisation: Organisation) -> None:
    require(actor, lambda: permissions.can_edit_network(actor, network))
    NetworkMembership.objects.filter(network=network, organisation=organisation).delete()
