"""The one way other apps' pages open a community: 404 if missing, 403 unless its members show."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from . import permissions, selectors
from .models import Community


def community_with_members_or_403(user, pk) -> Community:
    try:
        community = selectors.community_for_member_pages(pk)
    except Community.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view_members(user, community):
        raise PermissionDenied
    return community
