"""Notices of the discussions app's signals (connected in NotificationsConfig.ready).

A new post tells nobody in particular (the feed shows it as new); an announcement tells the
members of each target community, once per person even across several targets; @login tells the
person written, when they may read the post."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from discussions import permissions as discussion_permissions
from discussions import signals as discussion_signals
from discussions.models import Post

from .delivery import Notice, deliver
from .models import Notification


def on_announced(sender, *, posts: list[Post], actor=None, **kwargs):
    posts = list(Post.objects.filter(pk__in=[p.pk for p in posts]).select_related("community"))
    for post in sorted(posts, key=lambda p: p.pk):
        # One key for all targets of a grouped announcement: `deliver` skips those told already.
        key = (
            f"announcement-{post.announcement_id}"
            if post.announcement_id
            else f"post-{post.pk}-announced"
        )
        title, community = post.title or post.body[:80], post.community.name
        notice = Notice(
            Notification.Kind.POST_ANNOUNCED,
            key,
            lambda title=title, community=community: (
                _("Announcement in «%(community)s»: %(title)s")
                % {"community": community, "title": title}
            ),
            reverse("discussions:detail", args=[post.pk]),
        )
        deliver(discussion_permissions.readers_of(post.community).iterator(), notice, actor=actor)


def on_mentioned(sender, *, post: Post, comment=None, people=(), actor=None, **kwargs):
    who = getattr(actor, "full_name", "") or ""
    where = post.title or post.body[:60]
    if comment is not None:
        key = f"comment-{comment.pk}-mention"
        url = reverse("discussions:detail", args=[post.pk]) + f"#comment-{comment.pk}"
    else:
        key = f"post-{post.pk}-mention"
        url = reverse("discussions:detail", args=[post.pk])
    notice = Notice(
        Notification.Kind.POST_MENTION,
        key,
        lambda: _("%(who)s mentioned you: «%(where)s»") % {"who": who, "where": where},
        url,
    )
    deliver(list(people), notice, actor=actor)


def on_mentioned_in_topic(sender, *, topic, reply, people=(), actor=None, **kwargs):
    who = getattr(actor, "full_name", "") or ""
    where = topic.title
    notice = Notice(
        Notification.Kind.POST_MENTION,
        f"reply-{reply.pk}-mention",
        lambda: _("%(who)s mentioned you: «%(where)s»") % {"who": who, "where": where},
        reverse("discussions:topic", args=[topic.pk]) + f"#reply-{reply.pk}",
    )
    deliver(list(people), notice, actor=actor)


def connect() -> None:
    discussion_signals.announced.connect(on_announced, dispatch_uid="notifications.on_announced")
    discussion_signals.mentioned.connect(on_mentioned, dispatch_uid="notifications.on_mentioned")
    discussion_signals.mentioned_in_topic.connect(
        on_mentioned_in_topic, dispatch_uid="notifications.on_mentioned_in_topic"
    )
