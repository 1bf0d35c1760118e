"""What this app adds to the apps below it; connected in MeetingsConfig.ready."""

from django.urls import reverse

from communities import signals as community_signals
from planning import signals as planning_signals
from planning.selectors import HeldMeeting

from . import cadence
from .models import Attachment, Meeting
from .services import discard_attachments


def _community_cadence(sender, *, request, community, can_see_members, **kwargs):
    """Is the community behind its kind's meeting minimum? Shown to those who see its members."""
    return {"cadence": cadence.status_of(community) if can_see_members else None}


def _discard_evidence(sender, *, items, **kwargs):
    """Evidence of removed plan items goes with them, and its files once the plan is saved."""
    discard_attachments(Attachment.objects.filter(plan_item__in=list(items)))


def held_meetings_of(plan) -> dict[int, list[HeldMeeting]]:
    """The plan's planned meetings with the meetings scheduled from them (not cancelled), their
    minutes' number and whether they are signed: one query for the whole plan.

    A revision copies the planned meetings, so a meeting scheduled from an earlier revision of
    this year's plan counts for the row of the same month and title in this one.
    """
    own = {m.pk for m in plan.meetings.all()}
    same_row = {(m.month, m.title.strip().lower()): m.pk for m in plan.meetings.all()}
    held: dict[int, list[HeldMeeting]] = {}
    rows = (
        Meeting.objects.filter(
            planned__plan__community_id=plan.community_id,
            planned__plan__school_year=plan.school_year,
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("minutes", "planned")
        .order_by("starts_at", "id")
    )
    for meeting in rows:
        planned = meeting.planned
        row = (
            planned.pk
            if planned.pk in own
            else same_row.get((planned.month, planned.title.strip().lower()))
        )
        if row is None:
            continue
        minutes = getattr(meeting, "minutes", None)
        held.setdefault(row, []).append(
            HeldMeeting(
                starts_at=meeting.starts_at,
                status=meeting.status,
                url=reverse("meetings:detail", args=[meeting.pk]),
                minutes_number=minutes.number if minutes else None,
                minutes_signed=bool(minutes and minutes.is_signed),
            )
        )
    return held


def _plan_meetings(sender, *, request, plan, **kwargs):
    """What became of the plan's meetings: held (with the minutes), scheduled, or none."""
    return {"held_meetings": held_meetings_of(plan)}


def connect():
    from . import indicators

    indicators.connect()
    planning_signals.plan_page.connect(_plan_meetings, dispatch_uid="meetings.plan_page")
    community_signals.community_page.connect(
        _community_cadence, dispatch_uid="meetings.community_page"
    )
    planning_signals.agenda_items_removed.connect(
        _discard_evidence, dispatch_uid="meetings.agenda_items_removed"
    )
