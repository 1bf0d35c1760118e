"""Extension points of this app for the apps above it (see docs/architecture.md)."""

from django.dispatch import Signal

from core.pages import PageContext

# Receivers get `request` and `plan` and return context for the plan's page; the meetings app
# adds "held_meetings": {planned meeting id: [selectors.HeldMeeting, ...]} for the plan's
# meetings scheduled from it (not cancelled), in a constant number of queries.
plan_page = PageContext()

# Sent with `items` (agenda items, a list or a queryset) just before a plan update deletes them;
# the meetings app discards the evidence attached to them, with its stored files.
agenda_items_removed = Signal()

# Sent once a step of the plan's workflow is committed, with `plan`, `step` (workflow.Step),
# `actor` and `comment` (the reason, when the plan was sent back).
plan_step_taken = Signal()
