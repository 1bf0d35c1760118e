"""What discussions add to the pages of the apps below it (connected in DiscussionsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from communities import signals as community_signals

from . import permissions, selectors


def _community_links(sender, *, request, community, **kwargs):
    """The feed link on a community's page, with the count of posts new since the last visit."""
    user = request.user
    if not permissions.can_open_feed(user, community):
        return {}
    label = _("Feed")
    if permissions.can_read_feed(user, community):
        qs = selectors.feed(user, community)
        unread = selectors.new_since(qs, selectors.last_seen(user, community), user).count()
        if unread:
            label = _("Feed (%(n)d new)") % {"n": unread}
    links = [(reverse("discussions:feed", args=[community.pk]), label)]
    if permissions.can_read_feed(user, community):
        links.append((reverse("discussions:forum", args=[community.pk]), _("Forum")))
        links.append((reverse("discussions:chat", args=[community.pk]), _("Chat")))
        links.append(
            (reverse("discussions:schedule", args=[community.pk]), _("Publication schedule"))
        )
    return {"discussions_links": links}


def connect() -> None:
    community_signals.community_page.connect(
        _community_links, dispatch_uid="discussions.community_page"
    )
