"""What the resource bank adds to the pages of the apps below it (see ResourcesConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from communities import signals as community_signals

from . import permissions


def _community_links(sender, *, request, community, **kwargs):
    """A community's page links to its published resources and, for those who may see them, to
    its regulation and orders."""
    links = [(reverse("resources:community", args=[community.pk]), _("Resources"))]
    if permissions.can_view_documents(request.user, community):
        links.append(
            (
                reverse("resources:community_documents", args=[community.pk]),
                _("Regulation and orders"),
            )
        )
    return {"resources_links": links}


def connect() -> None:
    community_signals.community_page.connect(
        _community_links, dispatch_uid="resources.community_page"
    )
