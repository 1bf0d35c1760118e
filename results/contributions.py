"""What results adds to the pages of the apps below it (connected in ResultsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from communities import signals as community_signals
from organisations import signals as organisation_signals

from . import permissions


def _community_links(sender, *, request, community, **kwargs):
    """A link from a community's page to its members' results, for those who may see them."""
    if not permissions.can_view_community_results(request.user, community):
        return {}
    return {
        "results_links": [(reverse("results:community", args=[community.pk]), _("Pupils' results"))]
    }


def _network_links(sender, *, request, network, **kwargs):
    """A network's page links to its schools' results and their comparison."""
    if not permissions.can_view_network_results(request.user, network):
        return {}
    return {
        "results_links": [
            (reverse("results:network", args=[network.pk]), _("Pupils' results")),
            (reverse("results:network-schools", args=[network.pk]), _("Schools compared")),
        ]
    }


def connect() -> None:
    from . import measures, targets

    targets.connect()
    measures.connect()
    community_signals.community_page.connect(
        _community_links, dispatch_uid="results.community_page"
    )
    organisation_signals.network_page.connect(_network_links, dispatch_uid="results.network_page")
