"""What mentoring adds to the pages of the apps below it (connected in MentoringConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import signals as community_signals
from core.schoolyear import school_year_of
from people import signals as people_signals
from people.signals import PortfolioSection

from . import permissions, selectors
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


def _portfolio_sections(sender, *, person, since, **kwargs) -> list[PortfolioSection]:
    """The pairs the teacher was a mentor or a mentee in since `since` (one query)."""
    rows = []
    for pair in selectors.pairs_of_person(person, since):
        mentor = pair.mentor_id == person.pk
        other = pair.mentee if mentor else pair.mentor
        rows.append(
            [
                pair.school_year_label,
                _("Mentor") if mentor else _("Mentee"),
                other.full_name,
                pair.get_kind_display(),
                pair.focus,
                pair.get_status_display(),
            ]
        )
    return [
        PortfolioSection(
            _("Mentoring"),
            [
                _("School year"),
                _("Role"),
                _("Other side of the pair"),
                _("Kind"),
                _("Focus of the mentoring"),
                _("Status"),
            ],
            rows,
            order=70,
        )
    ]


def connect() -> None:
    from . import measures

    measures.connect()
    community_signals.community_page.connect(
        _community_links, dispatch_uid="mentoring.community_page"
    )
    people_signals.portfolio_sections.connect(
        _portfolio_sections, dispatch_uid="mentoring.portfolio_sections"
    )
