"""Extension points of this app for the apps above it (see docs/architecture.md).

Sent once the transaction commits; every signal carries `actor`.
"""

from django.dispatch import Signal

# `survey`: opened; its audience is asked to answer.
survey_opened = Signal()
