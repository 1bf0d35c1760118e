"""What this app adds to pages of the apps below it; connected in CommunitiesConfig.ready."""

from organisations import signals as organisation_signals

from . import selectors


def _organisation_communities(sender, *, request, organisation, **kwargs):
    return {
        "communities": selectors.community_list(user=request.user, organisation=organisation.pk)[
            :50
        ]
    }


def _network_communities(sender, *, request, network, **kwargs):
    """The network's own communities, after the district's coordination council over it."""
    councils = list(selectors.councils_over_network(user=request.user, network=network))
    hosted = list(selectors.community_list(user=request.user, network=network.pk))
    return {"communities": councils + hosted}


def connect():
    organisation_signals.organisation_page.connect(
        _organisation_communities, dispatch_uid="communities.organisation_page"
    )
    organisation_signals.network_page.connect(
        _network_communities, dispatch_uid="communities.network_page"
    )
