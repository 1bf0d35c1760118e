"""Extension points of this app for the apps above it (see docs/architecture.md).

Sent once the transaction commits; every signal carries `actor`.
"""

from django.dispatch import Signal

# `survey`: opened; its audience is asked to answer.
survey_opened = Signal()

# `survey`: someone (`actor`) submitted their answers. The response itself is not sent: an
# anonymous survey's answers are not to be lined up with who answered.
response_submitted = Signal()
