"""Pages of a lower app that show what an app above it knows, without importing that app.

The lower app declares an extension point (`organisation_page = PageContext()`) and, while
building the page, merges `organisation_page.context(sender, request=..., **objects)` into the
template context. An app above connects a receiver in its AppConfig.ready that returns a dict.
So the dependency points upwards only at run time, through the signal (docs/architecture.md).
"""

from django.dispatch import Signal


class PageContext(Signal):
    def context(self, sender, **kwargs) -> dict:
        """What the connected receivers add to the page, in the order they were connected."""
        extra: dict = {}
        for _receiver, response in self.send(sender, **kwargs):
            extra.update(response or {})
        return extra
