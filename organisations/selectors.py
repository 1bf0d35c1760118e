"""Reads for territories, organisations and networks."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from core.text import clean_text, search_key

from .models import Network, NetworkMembership, Organisation, Territory


def territory_list(*, q: str = "") -> QuerySet[Territory]:
    qs = Territory.objects.select_related("parent").order_by("path")
    q = clean_text(q).strip()
    if q:
        # Territory names are few and usually capitalised; SQLite folds only ASCII case.
        qs = qs.filter(Q(name__icontains=q) | Q(name__icontains=q.capitalize()))
    return qs


def territory_page(*, q: str = "") -> QuerySet[Territory]:
    """Territories with how many organisations each holds directly."""
    return territory_list(q=q).annotate(organisation_count=Count("organisations"))


def organisation_list(
    *,
    q: str = "",
    kind: str = "",
    territory: Territory | None = None,
    flag: str = "",
    network: int | None = None,
) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("territory")
    if q:
        qs = qs.filter(search_text__contains=search_key(q))
    if kind:
        qs = qs.filter(kind=kind)
    if territory is not None:
        qs = qs.filter(territory__path__startswith=territory.path)
    if flag in {"low_results", "difficult_conditions", "high_results"}:
        qs = qs.filter(**{flag: True})
    if network:
        qs = qs.filter(Q(network_memberships__network_id=network) | Q(led_networks__id=network))
    return qs.order_by("name", "id")


def organisation_detail(pk: int) -> Organisation:
    return Organisation.objects.select_related("territory__parent").get(pk=pk)


def network_list(*, q: str = "", territory: Territory | None = None) -> QuerySet[Network]:
    qs = Network.objects.select_related("territory", "lead_school").annotate(
        school_count=Count("memberships")
    )
    if q:
        qs = qs.filter(search_text__contains=search_key(q))
    if territory is not None:
        qs = qs.filter(territory__path__startswith=territory.path)
    return qs.order_by("name", "id")


def network_detail(pk: int) -> Network:
    return Network.objects.select_related("territory", "lead_school__territory").get(pk=pk)


def network_schools(network: Network) -> QuerySet[NetworkMembership]:
    return network.memberships.select_related("organisation__territory").order_by(
        "role", "organisation__name"
    )


def networks_of(organisation: Organisation) -> QuerySet[NetworkMembership]:
    return organisation.network_memberships.select_related("network")


def search_organisations(qs: QuerySet[Organisation], q: str) -> QuerySet[Organisation]:
    """Organisations whose name or short name holds the typed words, for pickers."""
    for word in search_key(q).split()[:5]:
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("name", "id")


def organisation_label(organisation: Organisation) -> str:
    return f"{organisation.name} — {organisation.territory.name}"


def organisations_to_pick() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).select_related("territory")


def search_networks(qs: QuerySet[Network], q: str) -> QuerySet[Network]:
    for word in search_key(q).split()[:5]:
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("name", "id")
