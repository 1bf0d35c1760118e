"""What activity adds to the community page (connected in ActivityConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from communities import signals as community_signals

from . import permissions


def _community_links(sender, *, request, community, **kwargs):
    """A link to the statistics for those who run the community."""
    if not permissions.can_view_statistics(request.user, community):
        return {}
    return {
        "activity_links": [
            (reverse("activity:statistics", args=[community.pk]), _("Activity statistics"))
        ]
    }


def connect() -> None:
    community_signals.community_page.connect(
        _community_links, dispatch_uid="activity.community_page"
    )
