"""What this app tells the apps above it; sent once committed (core.actions.announce)."""

from django.dispatch import Signal

# A research (or revised) lesson was scheduled: `lesson`, `actor`; its observers are asked to
# watch the case pupils and fill their observation sheets.
lesson_scheduled = Signal()

# The cycle moved to another stage: `cycle`, `actor`.
cycle_step = Signal()
