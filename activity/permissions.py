"""Who sees a community's activity statistics: those who run it (`communities.permissions.
can_edit`: its leader, its host's administrators, curators of curated kinds, the centre).
Plain members and everyone else do not: the figures are for running the community."""

from __future__ import annotations

from communities import permissions as community_permissions
from communities.models import Community


def can_view_statistics(user, community: Community) -> bool:
    return bool(user and user.is_authenticated) and community_permissions.can_edit(user, community)
