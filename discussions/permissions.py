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

Membership is read from the database on every request (communities.permissions), so a removed
member loses access at once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from communities import permissions as community_permissions
from communities.models import Community, Membership
from communities.selectors import administered_communities
from core.scopes import scopes_for
from people.models import Person

from .models import Post, Status


def delete_window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.DISCUSSIONS_DELETE_WINDOW_MINUTES)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


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
    return community.is_active and can_read_feed(user, community)


def can_announce(user, community: Community) -> bool:
    return community.is_active and can_moderate(user, community)


def can_view_post(user, post: Post) -> bool:
    if post.status == Status.DRAFT:
        return _signed_in(user) and post.author_id == user.pk
    if post.status != Status.PUBLISHED:
        return False
    if can_read_feed(user, post.community):
        return True
    return post.is_announcement and community_permissions.can_view(user, post.community)


def can_edit(user, post: Post) -> bool:
    if not _signed_in(user) or post.author_id != user.pk:
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


def can_comment(user, post: Post) -> bool:
    return (
        post.status == Status.PUBLISHED
        and post.community.is_active
        and can_read_feed(user, post.community)
    )


can_react = can_comment


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


def readers_of(community: Community) -> QuerySet[Person]:
    """Who reads the whole feed among its members (those told of an announcement)."""
    return Person.objects.filter(memberships__community=community, is_active=True).distinct()


# The forum follows the feed: its readers read and reply, those who may post open topics.


def can_view_topic(user, topic) -> bool:
    return topic.status == Status.PUBLISHED and can_read_feed(user, topic.community)


def can_reply(user, topic) -> bool:
    return (
        topic.status == Status.PUBLISHED
        and topic.community.is_active
        and can_read_feed(user, topic.community)
    )


def visible_topics_q(user) -> Q:
    """The list form of `can_view_topic`: published topics of the feeds the user reads."""
    return Q(status=Status.PUBLISHED) & Q(community__in=feed_communities(user).values("pk"))
