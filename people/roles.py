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
    curator_paths: list[str] = field(default_factory=list)
    coordinator_networks: set[int] = field(default_factory=set)
    school_admin_orgs: set[int] = field(default_factory=set)

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

    def territory_q(self, paths: list[str], lookup: str) -> Q:
        """A filter matching rows whose territory lies inside any of the given paths."""
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(**{f"{lookup}__startswith": path})
        return q


def scopes_for(user) -> Scopes:
    """Cached on the user object so one request loads role assignments once."""
    if user is None or not user.is_authenticated:
        return Scopes()
    cached = getattr(user, "_collegium_scopes", None)
    if cached is not None:
        return cached
    scopes = Scopes(is_authenticated=True, is_superuser=user.is_superuser, person_id=user.pk)
    assignments = RoleAssignment.objects.filter(person_id=user.pk).select_related("territory")
    for ra in assignments:
        if ra.role == RoleAssignment.Role.CENTRE_ADMIN and ra.territory_id:
            scopes.centre_paths.append(ra.territory.path)
        elif ra.role == RoleAssignment.Role.CURATOR and ra.territory_id:
            scopes.curator_paths.append(ra.territory.path)
        elif ra.role == RoleAssignment.Role.COORDINATOR and ra.network_id:
            scopes.coordinator_networks.add(ra.network_id)
        elif ra.role == RoleAssignment.Role.SCHOOL_ADMIN and ra.organisation_id:
            scopes.school_admin_orgs.add(ra.organisation_id)
    user._collegium_scopes = scopes
    return scopes
