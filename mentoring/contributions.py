"""What mentoring adds to the pages of the apps below it (connected in MentoringConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import signals as community_signals
from core.schoolyear import school_year_of

from . import permissions
from .models import Pair


def _community_links(sender, *, request, community, **kwargs):
    """Links from a community's page: its pair (a leaders' pair), forming pairs, the report."""
    user = request.user
    if not user.is_authenticated:
        return {}
    links = []
    if community.kind.requires_pair_roles:
        pair = Pair.objects.filter(community=community).select_related("community").first()
        if pair is not None and permissions.can_view(user, pair):
            links.append(
                (reverse("mentoring:pair", args=[pair.pk]), _("Mentoring: plan, log, reports"))
            )
        elif pair is None and permissions.can_appoint(user, community):
            links.append(
                (reverse("mentoring:create", args=[community.pk]), _("Open the mentoring pair"))
            )
    elif community.organisation_id:
        if permissions.can_appoint(user, community):
            links.append((reverse("mentoring:create", args=[community.pk]), _("Mentoring pairs")))
        if permissions.can_analyse_community(user, community):
            year = school_year_of(timezone.localdate())
            links.append(
                (
                    reverse("mentoring:community_analysis", args=[community.pk, year]),
                    _("Mentoring report"),
                )
            )
    return {"mentoring_links": links}


def connect() -> None:
    from . import measures

    measures.connect()
    community_signals.community_page.connect(
        _community_links, dispatch_uid="mentoring.community_page"
    )
