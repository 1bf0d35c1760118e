"""Reads of the search index: what this person may find, best match first.

Who may see what is the owning apps' rule, asked here in its list form (each app's `visible_q`)
and applied in SQL: an entry is found only when its object is among those the policy lets the
person see. Nothing is fetched and then dropped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Exists, OuterRef, QuerySet, Value, When
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
# How many of the newest matches are ranked and counted (see `search`).
RANKED = 500


class PerRowExists(Exists):
    """EXISTS asked of each row in turn. PostgreSQL may otherwise turn an EXISTS into a hash
    of every object the policy lets the person see, built before the first row (the 100,000
    resources at L: 160 ms), though a search stops after a few hundred rows; an OFFSET keeps
    it from doing so and changes nothing else (SQLite ignores it too)."""

    template = "EXISTS(%(subquery)s OFFSET 0)"


# Each kind's objects a person may see, by the owning app's policy (None: all of them).
_POLICIES: dict[str, Callable[[object], QuerySet | None]] = {
    Entry.Kind.POST: lambda user: Post.objects.filter(discussion_permissions.visible_posts_q(user)),
    Entry.Kind.TOPIC: lambda user: Topic.objects.filter(
        discussion_permissions.visible_topics_q(user)
    ),
    Entry.Kind.RESOURCE: lambda user: Resource.objects.filter(resource_permissions.visible_q(user)),
    Entry.Kind.EVENT: lambda user: Event.objects.filter(event_permissions.visible_q(user)),
    Entry.Kind.COMMUNITY: lambda user: Community.objects.filter(
        community_permissions.visible_q(user)
    ),
}


def _may_search(user, kind: str) -> bool:
    if kind == Entry.Kind.PERSON:
        return people_permissions.can_view_directory(user)
    return kind in _POLICIES


def _visible(objects: QuerySet | None) -> Exists | Value:
    # A correlated EXISTS: asked only of the entries a search looks at (the few matches of a
    # rare word, or the newest ones of a common word), never a list of everything the person
    # may see (as IN lists, the posts' policy read a million posts at L: 0.95 s).
    if objects is None:
        return Value(True)
    return PerRowExists(objects.filter(pk=OuterRef("object_id")))


def visible_q(user, kind: str = "") -> Case | Exists | Value:
    """Entries whose objects the user may see, by each owning app's policy; with a kind, that
    kind's entries alone (the one policy, not a condition over all six).

    One CASE on the kind rather than an OR of (kind, policy) pairs: each entry asks only its
    own kind's policy, and SQLite cannot split the condition into one index scan per kind
    and sort their union, which would stop a search from walking its matches newest first."""

    def visible(k: str) -> Exists | Value:
        return _visible(_POLICIES[k](user) if k in _POLICIES else None)

    if kind:
        return visible(kind) if _may_search(user, kind) else Value(False)
    whens = [When(kind=k, then=visible(k)) for k in Entry.Kind.values if _may_search(user, k)]
    return Case(*whens, default=Value(False), output_field=BooleanField())


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    subject: str = ""
    community: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def search(user, q: str, filters: Filters | None = None) -> Results:
    """Entries matching the query that the user may see, best first (then newest).

    When more than RANKED entries match, only the newest RANKED of them are ranked (and
    counted): a common word matches a third of a region's posts, and ranking them all costs
    seconds. Such a search is one to narrow down (`is_capped`)."""
    filters = filters or Filters()
    qs = Entry.objects.filter(visible_q(user, filters.kind))
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
    engine = backend()
    return Results(engine.ranked_ids(engine.newest_matches(qs, q, RANKED), q))


class Results(Sequence[Entry]):
    """A search's entries in ranked order: the ids are known at once (no more than RANKED of
    them), the entries are loaded only for the slice asked for (a page), in one query."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        chosen = self.ids[index]
        loaded = Entry.objects.select_related("community").defer("vector").in_bulk(chosen)
        return [loaded[pk] for pk in chosen if pk in loaded]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self[:])


def is_capped(count: int) -> bool:
    """Whether a search's count is the cap (more matches exist than were ranked)."""
    return count >= RANKED


def snippets(entries, q: str) -> dict[int, tuple[SafeString, SafeString]]:
    """For the page's entries only: (title, text excerpt), escaped, matches in <mark>."""
    return backend().snippets(list(entries), q)
