"""What administrative scopes a person holds, loaded once per request.

Every app's permissions module asks `scopes_for(user)`. Roles are assigned in the people app
(RoleAssignment), which sits above organisations; so the type and the cached look-up live here in
the kernel, and people registers how scopes are read (people.roles, from PeopleConfig.ready).
Nothing but people.roles reads RoleAssignment for access.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

# Set by register(): read a signed-in user's scopes, and the region paths of a person.
_load: Callable[..., Scopes] | None = None
_load_regions: Callable[[int, list[str]], list[str]] | None = None


def register(*, load: Callable[..., Scopes], load_regions: Callable[[int, list[str]], list[str]]):
    """Called once by the app that owns the role assignments (people)."""
    global _load, _load_regions
    _load, _load_regions = load, load_regions


def _source():
    if _load is None or _load_regions is None:
        raise ImproperlyConfigured("No app registered how scopes are read (install `people`).")
    return _load, _load_regions


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
            self._regions = _source()[1](self.person_id, self.role_paths) if self.person_id else []
        return self._regions

    def in_region(self, territory_path: str) -> bool:
        return self.is_superuser or any(territory_path.startswith(p) for p in self.region_paths())

    def territory_q(self, paths: list[str], lookup: str) -> Q:
        """A filter matching rows whose territory lies inside any of the given paths."""
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(**{f"{lookup}__startswith": path})
        return q


def signed_in(user) -> bool:
    """Whether someone is signed in: every policy's first question. Reads no roles, so asking
    costs no query (scopes_for(user).is_authenticated would load them)."""
    return bool(user is not None and user.is_authenticated)


def scopes_for(user) -> Scopes:
    """Cached on the user object so one request loads role assignments once."""
    if user is None or not user.is_authenticated:
        return Scopes()
    cached = getattr(user, "_collegium_scopes", None)
    if cached is not None:
        return cached
    scopes = _source()[0](user)
    user._collegium_scopes = scopes
    return scopes
