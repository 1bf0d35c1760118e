"""Extension points of this app for the apps above it (see core.pages and docs/architecture.md)."""

from django.dispatch import Signal

from core.pages import PageContext

# Receivers get `request` and `organisation` (`network`) and return context for its page; the
# communities app adds the communities hosted there.
organisation_page = PageContext()
network_page = PageContext()

# `territory`, `old_path`, `new_path`: a territory was moved under another parent; sent inside
# the move's transaction once its and its districts' paths are rewritten, so that sums kept per
# territory (results' rollups) are rewritten with it.
territory_moved = Signal()
