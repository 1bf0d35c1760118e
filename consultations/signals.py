"""Extension points of this app for the apps above it (see docs/architecture.md).

Services send these once their transaction commits (`core.actions.announce`); each carries
`request` (the consultation request) and `actor`.
"""

from django.dispatch import Signal

# A question was asked (its responders are told).
asked = Signal()
# A responder took it (the asker is told).
taken = Signal()
# It was answered (the asker is told and asked to rate).
answered = Signal()
# The asker rated the answer (the answerer is told).
rated = Signal()
