"""What the index keeps of each kind of object: its plain text and filter fields, or None when
nobody should find it by searching (drafts, hidden and deleted posts, unpublished resources,
draft events, people who left). Who may see an indexed object is asked at query time."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.utils import timezone

from communities.models import Community
from discussions.models import Post, Status, Topic
from events.models import Event
from people.models import Person
from resources.models import Resource

from .models import Entry

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BODY_LIMIT = 20000


def clean(value) -> str:
    """Plain text without control characters (the highlighters' marks are among them)."""
    return _CONTROL.sub(" ", str(value or "")).strip()


def _join(*parts) -> str:
    return "\n".join(clean(p) for p in parts if p)[:BODY_LIMIT]


def _day(value: dt.date | None) -> dt.datetime | None:
    if value is None:
        return None
    return timezone.make_aware(dt.datetime.combine(value, dt.time()))


@dataclass(frozen=True)
class Source:
    """One kind of object: the model, which of its rows are indexed and how a row reads."""

    kind: str
    model: type[Model]
    indexed: Callable[[], QuerySet]
    # The same rule as `indexed`, for one object in hand (no query on every save).
    accepts: Callable[[Model], bool]
    document: Callable[[Model], dict]
    # A save that changes none of these leaves the entry as it was (a login's last_login).
    fields: frozenset[str]

    def entry(self, obj: Model) -> Entry | None:
        if not self.accepts(obj):
            return None
        return Entry(kind=self.kind, object_id=obj.pk, **self.document(obj))

    def entries(self, batch: int) -> Iterator[list[Entry]]:
        chunk: list[Entry] = []
        for obj in self.indexed().order_by("pk").iterator(chunk_size=batch):
            chunk.append(Entry(kind=self.kind, object_id=obj.pk, **self.document(obj)))
            if len(chunk) >= batch:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _post(post: Post) -> dict:
    return {
        "title": clean(post.title) or clean(post.body)[:120],
        "body": _join(post.body),
        "subject": "",
        "community_id": post.community_id,
        "date": post.published_at or post.created_at,
    }


def _topic(topic: Topic) -> dict:
    return {
        "title": clean(topic.title),
        "body": _join(topic.body),
        "subject": "",
        "community_id": topic.community_id,
        "date": topic.created_at,
    }


def _resource(resource: Resource) -> dict:
    return {
        "title": clean(resource.title),
        "body": _join(resource.topic, resource.description, resource.author_text),
        "subject": clean(resource.subject)[:200],
        "community_id": resource.community_id,
        "date": resource.published_at or resource.created_at,
    }


def _event(event: Event) -> dict:
    return {
        "title": clean(event.title),
        "body": _join(event.description, event.place),
        "subject": clean(event.subject)[:200],
        "community_id": event.organiser_community_id,
        "date": event.starts_at,
    }


def _community(community: Community) -> dict:
    return {
        "title": clean(community.name),
        "body": _join(community.topic, community.description, community.participant_category),
        "subject": clean(community.subject_area)[:200],
        "community_id": community.pk,
        "date": _day(community.created_on),
    }


def _person(person: Person) -> dict:
    return {
        "title": clean(person.full_name),
        "body": "",
        "subject": "",
        "community_id": None,
        "date": None,
    }


SOURCES: dict[str, Source] = {
    source.kind: source
    for source in (
        Source(
            Entry.Kind.COMMUNITY,
            Community,
            lambda: Community.objects.all(),
            lambda community: True,
            _community,
            frozenset(
                {
                    "name",
                    "description",
                    "topic",
                    "subject_area",
                    "participant_category",
                    "created_on",
                }
            ),
        ),
        Source(
            Entry.Kind.PERSON,
            Person,
            lambda: Person.objects.filter(is_active=True),
            lambda person: person.is_active,
            _person,
            frozenset({"last_name", "first_name", "middle_name", "username", "is_active"}),
        ),
        Source(
            Entry.Kind.POST,
            Post,
            lambda: Post.objects.filter(status=Status.PUBLISHED),
            lambda post: post.status == Status.PUBLISHED,
            _post,
            frozenset({"title", "body", "status", "community", "published_at"}),
        ),
        Source(
            Entry.Kind.TOPIC,
            Topic,
            lambda: Topic.objects.filter(status=Status.PUBLISHED),
            lambda topic: topic.status == Status.PUBLISHED,
            _topic,
            frozenset({"title", "body", "status", "community"}),
        ),
        Source(
            Entry.Kind.RESOURCE,
            Resource,
            lambda: Resource.objects.filter(status=Resource.Status.PUBLISHED),
            lambda resource: resource.status == Resource.Status.PUBLISHED,
            _resource,
            frozenset(
                {
                    "title",
                    "description",
                    "topic",
                    "author_text",
                    "subject",
                    "community",
                    "status",
                    "published_at",
                }
            ),
        ),
        Source(
            Entry.Kind.EVENT,
            Event,
            lambda: Event.objects.exclude(status=Event.Status.DRAFT),
            lambda event: event.status != Event.Status.DRAFT,
            _event,
            frozenset(
                {
                    "title",
                    "description",
                    "place",
                    "subject",
                    "organiser_community",
                    "status",
                    "starts_at",
                }
            ),
        ),
    )
}

BY_MODEL: dict[type[Model], Source] = {source.model: source for source in SOURCES.values()}
