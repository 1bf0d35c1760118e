"""Extension points of this app for the apps above it. Sent once the transaction commits
(`core.actions.announce`); every signal carries `actor`."""

from django.dispatch import Signal

# `resource`: an author sent it for review; its moderators are told.
resource_submitted = Signal()
# `resource`, `review`: a moderator published, returned or unpublished it; its authors are told.
resource_reviewed = Signal()
