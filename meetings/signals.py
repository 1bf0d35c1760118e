"""Extension points of this app for the apps above it (see docs/architecture.md).

Services send these once their transaction commits (`transaction.on_commit`), so a receiver
never tells anyone about a change that was rolled back. Every signal carries `actor`, the person
who acted (None for the system, e.g. a reminder run).
"""

from django.dispatch import Signal

# `meeting`: scheduled (members and guests are invited).
meeting_scheduled = Signal()
# `meeting`, `reason`, `previous_starts_at`, `previous_place`: its time or place changed.
meeting_moved = Signal()
# `meeting`, `reason`: it will not take place.
meeting_cancelled = Signal()
# `minutes`: signed by the chair.
minutes_signed = Signal()
# `decision`, `previous_assignee_id`: a person was made (or stopped being) responsible.
decision_assigned = Signal()
# `decision`, `changed` (names of the fields that changed): its status, due date or text changed.
decision_changed = Signal()
