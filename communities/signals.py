"""Extension points of this app for the apps above it (see core.pages and docs/architecture.md)."""

from django.dispatch import Signal

from core.pages import PageContext

# Receivers get `request`, `community` and `can_see_members` and return context for the
# community's page; the meetings app adds its meeting cadence.
community_page = PageContext()

# Sent once committed, with `request` (a MembershipRequest) and `actor`: an invitation was sent,
# a person asked to join, or a request was accepted or declined.
invitation_sent = Signal()
join_requested = Signal()
request_decided = Signal()
