"""Who may read and write a community's feed. Pages, API, admin, notices and the dashboard ask here.

- Read the feed (posts, comments, reactions): the community's members and those administering
  its host (communities.permissions.administers: school admins, coordinators, centre admins,
  curators of curated kinds). Announcements are also read by everyone who may see the community
  (a public community's announcements even by anonymous visitors).
- Post: members and the host's administrators, in an active community.
- Announce and pin: the community's leader and the host's administrators ("moderators").
- Edit: the author while they may still post (every edit keeps the previous text).
- Delete (soft): the author within DISCUSSIONS_DELETE_WINDOW_MINUTES of publishing; moderators
  at any time.
- Comment and react: whoever reads the whole feed, on a published post of an active community.
- Polls: those who may post create one; those who read the whole feed vote until it closes; its
  author (while they read the feed) and moderators close it early and always see its results;
  the others see them after voting or once it is closed, as the poll says. A poll cannot be
  edited (the votes would then answer another question).

Membership is read from the database on every request (communities.permissions), so a removed
member loses access at once.

Moderation (003 app. 2 §4.2.7): those who may moderate (`who_moderates`) hide and restore posts,
comments, topics and replies with a reason, close a post or topic for new comments, and mute a
member for a while; a muted member writes nothing in the community until the mute ends. A hidden
item is seen (with the reason) by its author and the moderators only. Whoever sees an item, other
than its author, may report it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from communities import permissions as community_permissions
from communities.models import Community, Membership
from communities.selectors import administered_communities, host_administrators
from core.scopes import scopes_for
from core.scopes import signed_in as _signed_in
from people.models import Person

from .models import ChatMessage, Comment, Mute, Post, Reply, Status, Topic


def delete_window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.DISCUSSIONS_DELETE_WINDOW_MINUTES)


def can_read_feed(user, community: Community) -> bool:
    """The whole feed: posts, comments and reactions."""
    if not _signed_in(user):
        return False
    return community_permissions.is_member(user, community) or community_permissions.administers(
        user, community
    )


def can_open_feed(user, community: Community) -> bool:
    """The feed page: the whole feed, or only the announcements for those who see the community."""
    return can_read_feed(user, community) or community_permissions.can_view(user, community)


def can_moderate(user, community: Community) -> bool:
    """Announce, pin, delete others' posts and comments: the leader and host administrators."""
    if not _signed_in(user):
        return False
    if community.leader_id == user.pk:
        return True
    if community_permissions.member_role(user, community) == Membership.Role.LEADER:
        return True
    return community_permissions.administers(user, community)


def can_post(user, community: Community) -> bool:
    return community.is_active and can_read_feed(user, community) and not is_muted(user, community)


def can_announce(user, community: Community) -> bool:
    return community.is_active and can_moderate(user, community)


def can_view_post(user, post: Post) -> bool:
    if post.status == Status.DRAFT:
        return _signed_in(user) and post.author_id == user.pk
    if post.status == Status.HIDDEN:
        return sees_hidden(user, post, post.community)
    if post.status != Status.PUBLISHED:
        return False
    if can_read_feed(user, post.community):
        return True
    return post.is_announcement and community_permissions.can_view(user, post.community)


def can_edit(user, post: Post) -> bool:
    if not _signed_in(user) or post.author_id != user.pk or post.is_poll:
        return False
    if post.status not in (Status.DRAFT, Status.PUBLISHED):
        return False
    if post.is_announcement or post.pinned:
        return can_announce(user, post.community)
    return can_post(user, post.community)


def can_delete(user, post: Post) -> bool:
    if not _signed_in(user) or post.status not in (Status.DRAFT, Status.PUBLISHED):
        return False
    if can_moderate(user, post.community):
        return True
    if post.author_id != user.pk or not can_read_feed(user, post.community):
        return False
    if post.status == Status.DRAFT:
        return True
    return timezone.now() - (post.published_at or post.created_at) <= delete_window()


def can_pin(user, post: Post) -> bool:
    return post.status == Status.PUBLISHED and can_announce(user, post.community)


def can_react(user, post: Post) -> bool:
    return (
        post.status == Status.PUBLISHED
        and post.community.is_active
        and can_read_feed(user, post.community)
    )


def can_comment(user, post: Post) -> bool:
    return can_react(user, post) and not post.locked and not is_muted(user, post.community)


can_create_poll = can_post


def can_vote(user, post: Post) -> bool:
    """Take part in the poll (its closing is checked by the vote itself, with its own message)."""
    return post.is_poll and can_comment(user, post)


def can_close_poll(user, post: Post) -> bool:
    if not (_signed_in(user) and post.is_poll and post.status == Status.PUBLISHED):
        return False
    if post.author_id == user.pk and can_read_feed(user, post.community):
        return True
    return can_moderate(user, post.community)


def can_see_results(user, post: Post, poll, voted: bool) -> bool:
    """The poll's counts (and, for a named poll, who chose what)."""
    if not can_view_post(user, post):
        return False
    if post.author_id == user.pk or can_moderate(user, post.community):
        return True
    if poll.closed():
        return True
    return voted and poll.results == poll.Results.AFTER_VOTING


def can_delete_comment(user, comment) -> bool:
    if not _signed_in(user) or comment.status != Status.PUBLISHED:
        return False
    community = comment.post.community
    if can_moderate(user, community):
        return True
    return (
        comment.author_id == user.pk
        and can_read_feed(user, community)
        and timezone.now() - comment.created_at <= delete_window()
    )


def feed_communities(user) -> QuerySet[Community]:
    """The communities whose whole feed the user reads (the list form of `can_read_feed`)."""
    if not _signed_in(user):
        return Community.objects.none()
    member = Exists(Membership.objects.filter(community=OuterRef("pk"), person_id=user.pk))
    if scopes_for(user).is_superuser:
        return Community.objects.all()
    administered = administered_communities(user).values("pk")
    return Community.objects.filter(member | Q(pk__in=administered))


def visible_posts_q(user) -> Q:
    """Posts the user may see: published ones of the feeds they read, published announcements
    of the communities they see, and their own drafts."""
    published = Q(status=Status.PUBLISHED)
    announcements = Q(kind=Post.Kind.ANNOUNCEMENT) & Q(
        community__in=Community.objects.filter(community_permissions.visible_q(user)).values("pk")
    )
    if not _signed_in(user):
        return published & announcements
    feeds = Q(community__in=feed_communities(user).values("pk"))
    return (published & (feeds | announcements)) | Q(status=Status.DRAFT, author_id=user.pk)


def announcement_targets(user) -> QuerySet[Community]:
    """The active communities the user may announce to at once (003 app. 2 §4.2.2): those they
    administer as a curator or centre admin (network groups and councils of their territory)."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return Community.objects.none()
    if not (scopes.is_superuser or scopes.centre_paths or scopes.curator_paths):
        return Community.objects.none()
    q = Q()
    if not scopes.is_superuser:
        q = scopes.territory_q(scopes.centre_paths, "territory__path")
        if scopes.curator_paths:
            q |= Q(kind__curated=True) & scopes.territory_q(scopes.curator_paths, "territory__path")
    return Community.objects.filter(q, status=Community.Status.ACTIVE)


def can_announce_to_audience(user) -> bool:
    return announcement_targets(user).exists()


def told_of_closed_poll(poll) -> QuerySet[Person]:
    """Who is told that a poll closed: those who voted in it and its author, while they are
    members of its community (someone removed since is not)."""
    voted = Q(pk__in=poll.voters.values("person_id")) | Q(pk=poll.post.author_id)
    return readers_of(poll.post.community).filter(voted)


def readers_of(community: Community) -> QuerySet[Person]:
    """Who reads the whole feed among its members (those told of an announcement)."""
    return Person.objects.filter(memberships__community=community, is_active=True).distinct()


# The publication schedule (004, meetings 1 and 4): the feed's readers see it and the register
# of what was published; its moderators plan who publishes what by when; the one responsible
# writes the post from it.


def can_view_schedule(user, community: Community) -> bool:
    return can_read_feed(user, community)


def can_plan_publications(user, community: Community) -> bool:
    return community.is_active and can_moderate(user, community)


def can_remove_planned(user, planned, community: Community) -> bool:
    """Take a line off the schedule of `community` (the line's): one with no post yet."""
    return planned.post_id is None and can_moderate(user, community)


def can_fulfil(user, planned, community: Community) -> bool:
    """Write the planned post in `community` (the line's): its responsible member, while the
    line has none."""
    return (
        _signed_in(user)
        and planned.responsible_id == user.pk
        and planned.post_id is None
        and can_post(user, community)
    )


def may_be_responsible(community: Community) -> QuerySet[Person]:
    """Whom a publication may be planned for: the community's members."""
    return readers_of(community)


# The forum follows the feed: its readers read and reply, those who may post open topics.


def can_view_topic(user, topic) -> bool:
    if topic.status == Status.HIDDEN:
        return sees_hidden(user, topic, topic.community)
    return topic.status == Status.PUBLISHED and can_read_feed(user, topic.community)


def can_reply(user, topic) -> bool:
    return (
        topic.status == Status.PUBLISHED
        and not topic.locked
        and topic.community.is_active
        and can_read_feed(user, topic.community)
        and not is_muted(user, topic.community)
    )


def visible_topics_q(user) -> Q:
    """Published topics of the feeds the user reads (what search lists: hidden topics, which
    `can_view_topic` still shows their authors and moderators, are not searched)."""
    return Q(status=Status.PUBLISHED) & Q(community__in=feed_communities(user).values("pk"))


# The chat follows the feed too: its readers read and write, the feed's moderators delete any line.


def can_read_chat(user, community: Community) -> bool:
    return can_read_feed(user, community)


def can_chat(user, community: Community) -> bool:
    return community.is_active and can_read_feed(user, community) and not is_muted(user, community)


def deletable_chat_lines(user, community: Community, lines) -> set[int]:
    """The lines among `lines` (of one community) the user may delete: moderators any, authors
    theirs within the delete window. One look at the community for the whole page."""
    if not _signed_in(user):
        return set()
    published = [m for m in lines if m.status == Status.PUBLISHED]
    if can_moderate(user, community):
        return {m.pk for m in published}
    if not can_read_feed(user, community):
        return set()
    since = timezone.now() - delete_window()
    return {m.pk for m in published if m.author_id == user.pk and m.created_at >= since}


def can_delete_chat_message(user, message) -> bool:
    return message.pk in deletable_chat_lines(user, message.community, [message])


# -- Moderation -------------------------------------------------------------------------------


def who_moderates(community: Community) -> list[Person]:
    """Who moderates the community (told of reports; their queue lists them): its leader and
    leading members, and those who run its host (curators of curated kinds, the centre above) —
    each one `can_moderate` lets in, so the queue, the notices and the actions agree."""
    people: dict[int, Person] = {}
    if community.leader_id:
        people[community.leader_id] = community.leader
    leaders = Person.objects.filter(
        memberships__community=community, memberships__role=Membership.Role.LEADER
    )
    for person in [*leaders, *host_administrators(community)]:
        people.setdefault(person.pk, person)
    return [p for p in people.values() if p.is_active and can_moderate(p, community)]


def moderated_communities(user) -> QuerySet[Community]:
    """The communities the user moderates (the list form of `can_moderate`)."""
    if not _signed_in(user):
        return Community.objects.none()
    if scopes_for(user).is_superuser:
        return Community.objects.all()
    leads = Membership.objects.filter(person_id=user.pk, role=Membership.Role.LEADER)
    return Community.objects.filter(
        Q(pk__in=administered_communities(user).values("pk"))
        | Q(pk__in=leads.values("community_id"))
    )


def is_muted(user, community: Community) -> bool:
    return active_mute(user, community) is not None


def active_mute(user, community: Community):
    """The member's mute in the community that has not ended (cached on the user per request)."""
    if not _signed_in(user):
        return None
    cache = getattr(user, "_discussions_mutes", None)
    if cache is None:
        cache = user._discussions_mutes = {}
    if community.pk not in cache:
        cache[community.pk] = (
            Mute.objects.filter(
                community_id=community.pk,
                person_id=user.pk,
                lifted_at__isnull=True,
                until__gt=timezone.now(),
            )
            .order_by("-until")
            .first()
        )
    return cache[community.pk]


def sees_hidden(user, item, community: Community) -> bool:
    """A hidden item is seen by its author (with the reason) and by the moderators."""
    if not _signed_in(user):
        return False
    return item.author_id == user.pk or can_moderate(user, community)


def can_see_item(user, item, community: Community) -> bool:
    """Whether the user sees this post, comment, topic, reply or chat line as it is."""
    if isinstance(item, ChatMessage):
        if not can_read_chat(user, community):
            return False
    elif isinstance(item, Comment):
        if not can_view_post(user, item.post) or not can_read_feed(user, community):
            return False
    elif isinstance(item, Reply):
        if not can_view_topic(user, item.topic):
            return False
    elif isinstance(item, Topic):
        return can_view_topic(user, item)
    else:
        return can_view_post(user, item)
    if item.status == Status.HIDDEN:
        return sees_hidden(user, item, community)
    return item.status == Status.PUBLISHED


def can_report(user, item, community: Community) -> bool:
    return (
        _signed_in(user)
        and item.author_id != user.pk
        and item.status == Status.PUBLISHED
        and can_see_item(user, item, community)
    )


def can_hide(user, item, community: Community) -> bool:
    return item.status == Status.PUBLISHED and can_moderate(user, community)


def can_restore(user, item, community: Community) -> bool:
    return item.status == Status.HIDDEN and can_moderate(user, community)


def can_lock(user, item, community: Community) -> bool:
    """Close (or open again) a post for comments or a topic for replies."""
    return item.status == Status.PUBLISHED and can_moderate(user, community)


def can_mute(user, community: Community, person) -> bool:
    """Moderators mute members, not themselves nor another moderator."""
    return (
        person is not None
        and person.pk != getattr(user, "pk", None)
        and can_moderate(user, community)
        and not can_moderate(person, community)
    )


def can_edit_conduct(user, community: Community) -> bool:
    return can_moderate(user, community)


def can_dismiss(user, report) -> bool:
    return report.state == report.State.OPEN and can_moderate(user, report.community)


def can_open_queue(user) -> bool:
    return moderated_communities(user).exists()
