"""What administrative scopes a person holds, loaded once per request.

Every app's permissions module asks this object; nothing else reads RoleAssignment for access.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from .models import RoleAssignment


@dataclass
class Scopes:
    is_authenticated: bool = False
    is_superuser: bool = False
    person_id: int | None = None
    centre_paths: list[str] = field(default_factory=list)
    centre_countries: set[str] = field(default_factory=set)
    curator_paths: list[str] = field(default_factory=list)
    coordinator_networks: set[int] = field(default_factory=set)
    school_admin_orgs: set[int] = field(default_factory=set)
    # Territories of every role held (whatever its kind), read with the roles themselves.
    role_paths: list[str] = field(default_factory=list)
    _regions: list[str] | None = field(default=None, repr=False)

    @property
    def is_staff_anywhere(self) -> bool:
        return bool(
            self.is_superuser
            or self.centre_paths
            or self.curator_paths
            or self.coordinator_networks
            or self.school_admin_orgs
        )

    def in_centre(self, territory_path: str) -> bool:
        return self.is_superuser or any(territory_path.startswith(p) for p in self.centre_paths)

    def in_curation(self, territory_path: str) -> bool:
        return self.is_superuser or any(territory_path.startswith(p) for p in self.curator_paths)

    def region_paths(self) -> list[str]:
        """Paths of the regions the person belongs to: where they work or hold a role.

        "Internal" communities are seen region-wide (a teacher moves between the schools and
        districts of one region, while another region is another authority). A territory with no
        region above it (a country-level role) counts as its own region, so it covers all below.
        Loaded on first use only, because most permission checks never need it.
        """
        if self._regions is None:
            self._regions = (
                _region_paths_of(self.person_id, self.role_paths) if self.person_id else []
            )
        return self._regions

    def in_region(self, territory_path: str) -> bool:
        return self.is_superuser or any(territory_path.startswith(p) for p in self.region_paths())

    def territory_q(self, paths: list[str], lookup: str) -> Q:
        """A filter matching rows whose territory lies inside any of the given paths."""
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(**{f"{lookup}__startswith": path})
        return q


def _region_paths_of(person_id: int, role_paths: list[str]) -> list[str]:
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


def scopes_for(user) -> Scopes:
    """Cached on the user object so one request loads role assignments once."""
    if user is None or not user.is_authenticated:
        return Scopes()
    cached = getattr(user, "_collegium_scopes", None)
    if cached is not None:
        return cached
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
    user._collegium_scopes = scopes
    return scopes
