"""Extension points of this app for the apps above it (see core.pages and docs/architecture.md)."""

from core.pages import PageContext

# Receivers get `request`, `community` and `can_see_members` and return context for the
# community's page; the meetings app adds its meeting cadence.
community_page = PageContext()
