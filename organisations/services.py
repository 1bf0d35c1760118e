"""Writes for territories, organisations and networks."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Network, NetworkMembership, Organisation, Territory

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
def update_territory(*, territory: Territory, name: str, kind: str, country_code: str) -> Territory:
    """Rename or re-classify a territory; moving it under another parent is an admin's job."""
    territory.name, territory.kind, territory.country_code = name, kind, country_code
    territory.full_clean(exclude=["path"])
    territory.save()
    return territory


@transaction.atomic
def create_territory(
    *, name: str, kind: str, parent: Territory | None = None, country_code: str = "RU"
) -> Territory:
    territory = Territory(name=name, kind=kind, parent=parent, country_code=country_code)
    territory.full_clean(exclude=["path"])
    territory.save()
    return territory


def _apply(obj, fields, changes):
    for field, value in changes.items():
        if field not in fields:
            raise ValueError(f"{field} cannot be set here")
        setattr(obj, field, value)


@transaction.atomic
def create_organisation(**fields) -> Organisation:
    organisation = Organisation()
    _apply(organisation, ORGANISATION_FIELDS, fields)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def update_organisation(*, organisation: Organisation, **changes) -> Organisation:
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
def create_network(**fields) -> Network:
    network = Network()
    _apply(network, NETWORK_FIELDS, fields)
    _validate_network(network)
    network.full_clean()
    network.save()
    return network


@transaction.atomic
def update_network(*, network: Network, **changes) -> Network:
    _apply(network, NETWORK_FIELDS, changes)
    _validate_network(network)
    network.full_clean()
    network.save()
    NetworkMembership.objects.filter(network=network, organisation=network.lead_school).delete()
    return network


@transaction.atomic
def add_network_school(
    *, network: Network, organisation: Organisation, role: str
) -> NetworkMembership:
    if organisation.pk == network.lead_school_id:
        raise ValidationError({"organisation": _("The lead school already leads this network.")})
    if role not in NetworkMembership.Role.values:
        raise ValidationError({"role": _("Choose partner or magnet school.")})
    membership, _created = NetworkMembership.objects.update_or_create(
        network=network, organisation=organisation, defaults={"role": role}
    )
    return membership


@transaction.atomic
def remove_network_school(*, network: Network, organisation: Organisation) -> None:
    NetworkMembership.objects.filter(network=network, organisation=organisation).delete()
