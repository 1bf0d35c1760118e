"""Reads of the resource bank, with their joins decided here so list pages stay flat."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from communities.models import Community

from . import permissions
from .models import (
    Collection,
    CommunityDocument,
    Resource,
    ResourceReview,
    ResourceVersion,
)

_ROW = ("kind", "community", "organisation")


def _with_current(qs: QuerySet[Resource]) -> QuerySet[Resource]:
    return qs.select_related(*_ROW).prefetch_related(
        Prefetch("versions", queryset=ResourceVersion.objects.order_by("-created_at", "-id"))
    )


def bank(user) -> QuerySet[Resource]:
    """Published resources the person may see, newest first."""
    return _with_current(Resource.objects.filter(permissions.bank_q(user))).order_by(
        "-published_at", "-id"
    )


def mine(user) -> QuerySet[Resource]:
    return _with_current(Resource.objects.filter(permissions.own_q(user))).order_by(
        "-updated_at", "-id"
    )


def review_queue(user) -> QuerySet[Resource]:
    """Submitted resources waiting for this moderator, oldest first."""
    return (
        Resource.objects.filter(permissions.moderated_q(user), status=Resource.Status.SUBMITTED)
        .select_related(*_ROW, "created_by")
        .order_by("submitted_at", "id")
    )


def visible(user) -> QuerySet[Resource]:
    return _with_current(Resource.objects.filter(permissions.visible_q(user)))


def resource_detail(pk: int) -> Resource:
    return Resource.objects.select_related(
        "kind", "community__kind", "community__territory", "organisation", "territory",
        "created_by",
    ).get(pk=pk)  # fmt: skip


def versions_of(resource: Resource) -> QuerySet[ResourceVersion]:
    return resource.versions.select_related("uploaded_by").order_by("-created_at", "-id")


def reviews_of(resource: Resource) -> QuerySet[ResourceReview]:
    return resource.reviews.select_related("reviewer")


def current_version(resource: Resource) -> ResourceVersion | None:
    versions = list(resource.versions.all())  # prefetched in lists
    return versions[0] if versions else None


def collections() -> QuerySet[Collection]:
    return Collection.objects.select_related("community", "network", "territory")


def collection_items(user, collection: Collection) -> QuerySet[Resource]:
    """The collection's resources the person may see, in the collection's order."""
    return (
        _with_current(Resource.objects.filter(permissions.bank_q(user)))
        .filter(collection_items__collection=collection)
        .order_by("collection_items__position", "id")
    )


def community_resources(user, community: Community) -> QuerySet[Resource]:
    return bank(user).filter(community=community)


def documents_of(community: Community) -> QuerySet[CommunityDocument]:
    return community.documents.prefetch_related("versions").order_by("kind", "-date", "-id")


def waiting_reviews_for(user, limit: int) -> list[Resource]:
    return list(review_queue(user)[:limit])
