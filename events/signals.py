"""Extension points of this app for the apps above it (see docs/architecture.md).

Services send these once their transaction commits (`core.actions.announce`), so a receiver never
tells anyone about a change that was rolled back. Every signal carries `actor` (None for the
system, e.g. a reminder run).
"""

from django.dispatch import Signal

# `event`: announced to its audience.
event_announced = Signal()
# `event`, `changed` (names of fields): its time, place or link changed.
event_changed = Signal()
# `event`, `reason`: it will not take place.
event_cancelled = Signal()
# `registration`: a place freed by a cancellation went to the first on the waiting list.
event_place_given = Signal()
# `event`: the organiser closed attendance; certificates may be issued.
event_held = Signal()

# `registration`: a person registered (or joined the waiting list) for the event.
registered = Signal()

# `feedback`: a participant rated the event.
feedback_left = Signal()
