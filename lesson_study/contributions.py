"""What this app adds to the pages of the apps below it; connected in LessonStudyConfig.ready."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import signals as community_signals
from communities.models import Membership
from people import signals as people_signals
from people.signals import PortfolioSection

from . import permissions, selectors


def _community_section(sender, *, request, community, **kwargs):
    """Links to the cycles and the visits log, with this term's visit shares, for those who
    read the community's work."""
    if not permissions.can_read_team_work(request.user, community):
        return {}
    shares = selectors.visit_shares(community, timezone.localdate())
    html = render_to_string(
        "lesson_study/_community_section.html",
        {"community": community, "shares": shares},
        request=request,
    )
    return {"lesson_study_section": html}


def _date(day) -> str:
    return day.strftime("%d.%m.%Y") if day else "…"


def _role(cycle) -> str:
    """What the person did in the cycle, in the portfolio's words."""
    roles = []
    if cycle.membership_role == Membership.Role.LEADER:
        roles.append(_("leader of the team"))
    if cycle.taught:
        roles.append(_("taught the lesson"))
    if cycle.observed:
        roles.append(_("observer"))
    if not roles:
        roles.append(_("member of the team"))
    return ", ".join(roles)


def _portfolio_sections(sender, *, person, since, **kwargs) -> list[PortfolioSection]:
    """The lesson-study and action-research cycles the teacher took part in (one query). Shown
    to whoever may read the teacher's portfolio: the question and the stage, not the sheets."""
    rows = []
    for cycle in selectors.cycles_taken_part_in(person, since):
        period = _date(cycle.starts_on or cycle.created_at.date())
        if cycle.ends_on:
            period += f" – {_date(cycle.ends_on)}"
        rows.append(
            [
                period,
                cycle.community.name,
                cycle.get_kind_display(),
                cycle.research_question,
                cycle.get_stage_display(),
                _role(cycle),
            ]
        )
    return [
        PortfolioSection(
            _("Lesson-study cycles"),
            [_("Dates"), _("Team"), _("Kind"), _("Research question"), _("Stage"), _("Role")],
            rows,
            order=60,
        )
    ]


def connect() -> None:
    from . import indicators, measures

    indicators.connect()
    measures.connect()
    community_signals.community_page.connect(
        _community_section, dispatch_uid="lesson_study.community_page"
    )
    people_signals.portfolio_sections.connect(
        _portfolio_sections, dispatch_uid="lesson_study.portfolio_sections"
    )
