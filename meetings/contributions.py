"""What this app adds to the apps below it; connected in MeetingsConfig.ready."""

from communities import signals as community_signals
from planning import signals as planning_signals

from . import cadence
from .models import Attachment
from .services import discard_attachments


def _community_cadence(sender, *, request, community, can_see_members, **kwargs):
    """Is the community behind its kind's meeting minimum? Shown to those who see its members."""
    return {"cadence": cadence.status_of(community) if can_see_members else None}


def _discard_evidence(sender, *, items, **kwargs):
    """Evidence of removed plan items goes with them, and its files once the plan is saved."""
    discard_attachments(Attachment.objects.filter(plan_item__in=list(items)))


def connect():
    community_signals.community_page.connect(
        _community_cadence, dispatch_uid="meetings.community_page"
    )
    planning_signals.agenda_items_removed.connect(
        _discard_evidence, dispatch_uid="meetings.agenda_items_removed"
    )
