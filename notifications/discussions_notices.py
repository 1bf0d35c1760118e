"""Notices of the discussions app's signals (connected in NotificationsConfig.ready).

A new post tells nobody in particular (the feed shows it as new); an announcement tells the
members of each target community, once per person even across several targets; @login tells the
person written, when they may read the post."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Membership
from discussions import permissions as discussion_permissions
from discussions import selectors as discussion_selectors
from discussions import signals as discussion_signals
from discussions.models import ModerationAction, Mute, PlannedPublication, Poll, Post, Report

from .delivery import Notice, deliver, deliver_each
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


def _item_url(action) -> str:
    target = action.target
    if target == "post":
        return reverse("discussions:detail", args=[action.object_id])
    if target == "comment":
        return reverse("discussions:detail", args=[action.comment.post_id]) + (
            f"#comment-{action.object_id}"
        )
    if target == "topic":
        return reverse("discussions:topic", args=[action.object_id])
    if target == "chat":
        return discussion_selectors.chat_line_url(action.community_id, action.object_id)
    if target == "reply":
        return reverse("discussions:topic", args=[action.reply.topic_id]) + (
            f"#reply-{action.object_id}"
        )
    return reverse("discussions:feed", args=[action.community_id])


def on_reported(sender, *, report, actor=None, **kwargs):
    """The community's moderators (discussions.permissions.who_moderates, as the queue asks)
    are told of a new report."""
    report = Report.objects.select_related("community__kind", "community__territory").get(
        pk=report.pk
    )
    community = report.community.name
    reason = report.get_reason_display()
    what = report.get_target_display()
    notice = Notice(
        Notification.Kind.MODERATION_REPORT,
        f"report-{report.pk}",
        lambda: (
            _("New report in «%(community)s»: %(what)s, %(reason)s")
            % {"community": community, "what": what, "reason": reason}
        ),
        reverse("discussions:moderation") + f"?community={report.community_id}",
    )
    deliver(discussion_permissions.who_moderates(report.community), notice, actor=actor)


def on_moderated(sender, *, action, actor=None, **kwargs):
    """The author of the item (or the muted member) is told what a moderator did and why."""
    action = ModerationAction.objects.select_related("community", "person", "comment", "reply").get(
        pk=action.pk
    )
    if action.person is None:
        return
    community, reason, kind = action.community.name, action.reason, action.action
    what = action.get_target_display() if action.target else ""
    mute = Mute.objects.filter(community_id=action.community_id, person_id=action.person_id)
    until = mute.order_by("-created_at").values_list("until", flat=True).first()

    def text():
        values = {"community": community, "reason": reason, "what": what}
        if kind == ModerationAction.Action.HIDE:
            return _("Hidden by a moderator in «%(community)s» — %(what)s: %(reason)s") % values
        if kind == ModerationAction.Action.RESTORE:
            return _("Restored by a moderator in «%(community)s» — %(what)s: %(reason)s") % values
        if kind == ModerationAction.Action.LOCK:
            return (
                _(
                    "Closed for new comments by a moderator in «%(community)s» — %(what)s: "
                    "%(reason)s"
                )
                % values
            )
        if kind == ModerationAction.Action.UNLOCK:
            return (
                _("Opened for comments by a moderator in «%(community)s» — %(what)s: %(reason)s")
                % values
            )
        if kind == ModerationAction.Action.MUTE:
            values["until"] = f"{timezone.localtime(until):%d.%m.%Y %H:%M}" if until else ""
            return (
                _("A moderator muted you in «%(community)s» until %(until)s: %(reason)s") % values
            )
        return _("A moderator unmuted you in «%(community)s»: %(reason)s") % values

    notice = Notice(
        Notification.Kind.MODERATED,
        f"moderation-{action.pk}",
        text,
        _item_url(action),
    )
    deliver([action.person], notice, actor=actor)


def _poll_closed_notice(poll: Poll) -> Notice:
    values = {"question": poll.question, "community": poll.post.community.name}
    return Notice(
        Notification.Kind.POLL_CLOSED,
        f"poll-{poll.pk}-closed",  # one notice however the poll closed
        lambda: _("The poll «%(question)s» in «%(community)s» is closed: see the results") % values,
        reverse("discussions:detail", args=[poll.post_id]) + "#poll",
    )


def on_poll_closed(sender, *, poll: Poll, actor=None, **kwargs):
    """A poll closed early: its voters and its author are told the results are final."""
    poll = Poll.objects.select_related("post__community").get(pk=poll.pk)
    people = discussion_permissions.told_of_closed_poll(poll).iterator()
    deliver(people, _poll_closed_notice(poll), actor=actor)


def closed_polls(now: dt.datetime) -> int:
    """Tell the voters of the polls that reached their closing time in the last two days (a
    job that missed a day still tells them; `deliver` tells nobody twice)."""
    polls = Poll.objects.filter(
        closed_at__isnull=True,
        closes_at__lte=now,
        closes_at__gt=now - dt.timedelta(days=2),
        post__status="published",
    ).select_related("post__community")
    notices = [
        (discussion_permissions.told_of_closed_poll(p), _poll_closed_notice(p)) for p in polls
    ]
    return len(deliver_each(notices))


def _schedule_url(planned: PlannedPublication) -> str:
    return reverse("discussions:schedule", args=[planned.community_id]) + f"#planned-{planned.pk}"


def on_publication_planned(sender, *, planned: PlannedPublication, actor=None, **kwargs):
    """The responsible member is told what to publish, where and by when."""
    planned = PlannedPublication.objects.select_related("community", "responsible").get(
        pk=planned.pk
    )
    values = {
        "title": planned.title,
        "community": planned.community.name,
        "due": f"{planned.due_on:%d.%m.%Y}",
    }
    notice = Notice(
        Notification.Kind.PUBLICATION_PLANNED,
        f"planned-{planned.pk}",
        lambda: _("Publish in «%(community)s» by %(due)s: %(title)s") % values,
        _schedule_url(planned),
    )
    deliver([planned.responsible], notice, actor=actor)


def reminders(today: dt.date) -> int:
    """Remind the responsible members of the publications not written yet that are due within
    the days the dashboard shows them (once) or overdue (once more, the day after the date).
    Safe to run any number of times; a few queries however many are due."""
    due = (
        PlannedPublication.objects.filter(
            post__isnull=True,
            due_on__lte=today + dt.timedelta(discussion_selectors.PUBLICATION_AHEAD_DAYS),
            due_on__gte=today - dt.timedelta(7),  # a week late is the last reminder
            community__status="active",
        )
        # Not those who have left the community since.
        .filter(
            Exists(
                Membership.objects.filter(
                    community_id=OuterRef("community_id"), person_id=OuterRef("responsible_id")
                )
            )
        )
        .select_related("community", "responsible")
        .order_by("due_on", "pk")
    )
    notices = []
    for planned in due:
        overdue = planned.due_on < today
        values = {
            "title": planned.title,
            "community": planned.community.name,
            "due": f"{planned.due_on:%d.%m.%Y}",
        }

        def text(values=values, overdue=overdue):
            if overdue:
                return _("Overdue since %(due)s in «%(community)s»: %(title)s") % values
            return _("Due %(due)s in «%(community)s»: %(title)s") % values

        key = f"planned-{planned.pk}-{'overdue' if overdue else 'due'}-{planned.due_on:%Y%m%d}"
        notice = Notice(Notification.Kind.PUBLICATION_DUE, key, text, _schedule_url(planned))
        notices.append(([planned.responsible], notice))
    return len(deliver_each(notices))


def connect() -> None:
    discussion_signals.announced.connect(on_announced, dispatch_uid="notifications.on_announced")
    discussion_signals.mentioned.connect(on_mentioned, dispatch_uid="notifications.on_mentioned")
    discussion_signals.mentioned_in_topic.connect(
        on_mentioned_in_topic, dispatch_uid="notifications.on_mentioned_in_topic"
    )
    discussion_signals.reported.connect(on_reported, dispatch_uid="notifications.on_reported")
    discussion_signals.moderated.connect(on_moderated, dispatch_uid="notifications.on_moderated")
    discussion_signals.poll_closed.connect(
        on_poll_closed, dispatch_uid="notifications.on_poll_closed"
    )
    discussion_signals.publication_planned.connect(
        on_publication_planned, dispatch_uid="notifications.on_publication_planned"
    )
