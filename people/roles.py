"""How a person's administrative scopes are read from their role assignments.

The Scopes type and the cached `scopes_for(user)` every permissions module asks are in the kernel
(core.scopes); PeopleConfig.ready registers the two readers below there. Nothing else reads
RoleAssignment for access.
"""

from __future__ import annotations

from core.scopes import Scopes

from .models import RoleAssignment


def region_paths_of(person_id: int, role_paths: list[str]) -> list[str]:
    """See Scopes.region_paths (core.scopes): the regions of where they work or hold a role."""
    from organisations.models import Territory

    from .models import Position

    paths = set(
        Position.objects.filter(person_id=person_id).values_list(
            "organisation__territory__path", flat=True
        )
    )
    paths.update(role_paths)
    ancestor_ids = {int(i) for path in paths for i in path.strip("/").split("/") if i}
    regions = set(
        Territory.objects.filter(pk__in=ancestor_ids, kind=Territory.Kind.REGION).values_list(
            "pk", flat=True
        )
    )
    result = set()
    for path in paths:
        ids = [int(i) for i in path.strip("/").split("/") if i]
        cut = next((n for n, pk in enumerate(ids) if pk in regions), len(ids) - 1)
        result.add("/" + "".join(f"{pk}/" for pk in ids[: cut + 1]))
    return sorted(result)


def load_scopes(user) -> Scopes:
    """The scopes of a signed-in user (core.scopes.scopes_for caches them on the user)."""
    scopes = Scopes(is_authenticated=True, is_superuser=user.is_superuser, person_id=user.pk)
    # Plain values, not model instances: this runs on every request, and building related
    # selections for three joined models costs more than the query itself.
    assignments = RoleAssignment.objects.filter(person_id=user.pk).values_list(
        "role",
        "territory_id",
        "organisation_id",
        "network_id",
        "territory__path",
        "territory__country_code",
        "organisation__territory__path",
        "network__territory__path",
    )
    Role = RoleAssignment.Role
    for role, territory, organisation, network, path, country, org_path, net_path in assignments:
        scopes.role_paths.extend(p for p in (path, org_path, net_path) if p)
        if role == Role.CENTRE_ADMIN and territory:
            scopes.centre_paths.append(path)
            scopes.centre_countries.add(country)
        elif role == Role.CURATOR and territory:
            scopes.curator_paths.append(path)
        elif role == Role.COORDINATOR and network:
            scopes.coordinator_networks.add(network)
        elif role == Role.SCHOOL_ADMIN and organisation:
            scopes.school_admin_orgs.add(organisation)
    return scopes


def holders_over(*, organisation_id=None, network_id=None, territory_path: str = ""):
    """Active people holding any role at an organisation, in a network, or on a territory or one
    above it: those who may act over a community there. The policy of the app asking decides
    which of them may take a given step (planning.permissions.next_step_takers)."""
    from django.db.models import Q

    from .models import Person

    ancestors = [int(i) for i in territory_path.strip("/").split("/") if i]
    q = Q(territory_id__in=ancestors)
    if organisation_id:
        q |= Q(organisation_id=organisation_id)
    if network_id:
        q |= Q(network_id=network_id)
    holders = RoleAssignment.objects.filter(q).values("person_id")
    return Person.objects.filter(pk__in=holders, is_active=True).order_by("pk")
