"""What the rating adds to the pages of the apps below it (connected in RatingConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from communities import signals as community_signals
from organisations import signals as organisation_signals

from . import permissions


def _organisation_links(sender, *, request, organisation, **kwargs):
    if not permissions.can_view_school_rating(request.user, organisation):
        return {}
    return {
        "rating_links": [(reverse("rating:school", args=[organisation.pk]), _("Teachers' rating"))]
    }


def _community_links(sender, *, request, community, **kwargs):
    if not permissions.can_view_community_rating(request.user, community):
        return {}
    return {
        "rating_links": [(reverse("rating:community", args=[community.pk]), _("Teachers' rating"))]
    }


def connect() -> None:
    organisation_signals.organisation_page.connect(
        _organisation_links, dispatch_uid="rating.organisation_page"
    )
    community_signals.community_page.connect(_community_links, dispatch_uid="rating.community_page")
