"""What results adds to the pages of the apps below it (connected in ResultsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from communities import signals as community_signals

from . import permissions


def _community_links(sender, *, request, community, **kwargs):
    """A link from a community's page to its members' results, for those who may see them."""
    if not permissions.can_view_community_results(request.user, community):
        return {}
    return {
        "results_links": [(reverse("results:community", args=[community.pk]), _("Pupils' results"))]
    }


def connect() -> None:
    from . import measures, targets

    targets.connect()
    measures.connect()
    community_signals.community_page.connect(
        _community_links, dispatch_uid="results.community_page"
    )
