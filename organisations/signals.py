"""Extension points of this app for the apps above it (see core.pages and docs/architecture.md)."""

from core.pages import PageContext

# Receivers get `request` and `organisation` (`network`) and return context for its page; the
# communities app adds the communities hosted there.
organisation_page = PageContext()
network_page = PageContext()
