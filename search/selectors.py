"""Reads of the search index: what this person may find, best match first.

Who may see what is the owning apps' rule, asked here in its list form (each app's `visible_q`)
and applied in SQL: an entry is found only when its object is among those the policy lets the
person see. Nothing is fetched and then dropped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.safestring import SafeString

from communities import permissions as community_permissions
from communities.models import Community
from discussions import permissions as discussion_permissions
from discussions.models import Post, Topic
from events import permissions as event_permissions
from events.models import Event
from people import permissions as people_permissions
from resources import permissions as resource_permissions
from resources.models import Resource

from .backends import backend
from .models import Entry

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200


def visible_q(user) -> Q:
    """Entries whose objects the user may see, by each owning app's policy."""

    # How the policy's subquery is joined is the backend's choice (search.backends).
    correlated = backend().CORRELATED_POLICY

    def of(kind: str, objects: QuerySet) -> Q:
        if correlated:
            return Q(kind=kind) & Q(Exists(objects.filter(pk=OuterRef("object_id"))))
        return Q(kind=kind, object_id__in=objects.values("pk"))

    q = (
        of(Entry.Kind.POST, Post.objects.filter(discussion_permissions.visible_posts_q(user)))
        | of(Entry.Kind.TOPIC, Topic.objects.filter(discussion_permissions.visible_topics_q(user)))
        | of(Entry.Kind.RESOURCE, Resource.objects.filter(resource_permissions.visible_q(user)))
        | of(Entry.Kind.EVENT, Event.objects.filter(event_permissions.visible_q(user)))
        | of(
            Entry.Kind.COMMUNITY,
            Community.objects.filter(community_permissions.visible_q(user)),
        )
    )
    if people_permissions.can_view_directory(user):
        q |= Q(kind=Entry.Kind.PERSON)
    return q


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    subject: str = ""
    community: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def search(user, q: str, filters: Filters | None = None) -> QuerySet[Entry]:
    """Entries matching the query that the user may see, best first (then newest)."""
    filters = filters or Filters()
    qs = Entry.objects.filter(visible_q(user))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.subject:
        qs = qs.filter(subject__iexact=filters.subject)
    if filters.community:
        qs = qs.filter(community_id=filters.community)
    if filters.date_from:
        qs = qs.filter(date__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__date__lte=filters.date_to)
    qs = qs.select_related("community").defer("vector")
    return backend().match(qs, q)


def snippets(entries, q: str) -> dict[int, tuple[SafeString, SafeString]]:
    """For the page's entries only: (title, text excerpt), escaped, matches in <mark>."""
    return backend().snippets(list(entries), q)
