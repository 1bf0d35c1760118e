"""Extension points of this app for the apps above it. Sent once the transaction commits
(`core.actions.announce`); every signal carries `actor`."""

from django.dispatch import Signal

# `resource`: an author sent it for review; its moderators are told.
resource_submitted = Signal()
# `resource`, `review`: a moderator published, returned or unpublished it; its authors are told.
resource_reviewed = Signal()
# `resource`: one of its files was downloaded (by `actor`, None when signed out); counted by the
# activity statistics of its community. Sent at once: a download changes nothing to commit.
downloaded = Signal()
