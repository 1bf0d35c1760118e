"""What this app adds to the pages of the apps below it; connected in LessonStudyConfig.ready."""

from django.template.loader import render_to_string
from django.utils import timezone

from communities import signals as community_signals

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


def connect() -> None:
    from . import indicators, measures

    indicators.connect()
    measures.connect()
    community_signals.community_page.connect(
        _community_section, dispatch_uid="lesson_study.community_page"
    )
