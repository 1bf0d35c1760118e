"""Extension points of this app for the apps above it (see docs/architecture.md).

Sent once the transaction commits; each carries `actor`, the person who acted (None for the
system, e.g. issuing when an event is marked held by a trusted caller).
"""

from django.dispatch import Signal

# `certificate`: issued to its holder.
certificate_issued = Signal()
# `certificate`, `reason`: revoked.
certificate_revoked = Signal()
