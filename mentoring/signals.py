"""Extension points of this app for the apps above it (see docs/architecture.md).

Services send these once their transaction commits (`core.actions.announce`). Every signal
carries `actor`, the person who acted (None for the system, e.g. a reminder run).
"""

from django.dispatch import Signal

# `pair`: a pair was formed (both sides are told).
pair_formed = Signal()
# `session`: a session was logged (the other side is told).
session_logged = Signal()
# `report`: a side sent its report (those who oversee the pair are told).
report_submitted = Signal()
# `plan`: a plan was submitted for approval (its approvers are told).
plan_submitted = Signal()
