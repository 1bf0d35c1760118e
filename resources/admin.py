from django.contrib import admin
from django.db.models import Q

from core.admin import PolicyAdmin, ReferenceAdmin

from . import permissions
from .models import Collection, CommunityDocument, Resource, ResourceKind


@admin.register(ResourceKind)
class ResourceKindAdmin(ReferenceAdmin):
    """Kinds are data: the centre adds a kind without a release."""

    list_display = ["name", "code", "takes_link", "order"]
    list_editable = ["order"]

    def may_manage(self, user) -> bool:
        return permissions.can_manage_kinds(user)


@admin.register(Resource)
class ResourceAdmin(PolicyAdmin):
    list_display = ["title", "kind", "status", "is_public", "published_at"]
    list_filter = ["status", "kind", "licence", "is_public"]
    list_select_related = ["kind"]
    search_fields = ["title", "topic"]
    raw_id_fields = ["community", "organisation", "territory", "created_by", "authors"]
    readonly_fields = ["status", "submitted_at", "published_at"]

    def policy_q(self, user) -> Q:
        return permissions.visible_q(user)

    def may_view(self, user, obj) -> bool:
        return permissions.can_view(user, obj)

    def may_change(self, user, obj) -> bool:
        return permissions.moderates(user, obj)

    # Not added here: submitted on the site, where files are checked and reviews recorded.


@admin.register(Collection)
class CollectionAdmin(PolicyAdmin):
    list_display = ["title", "territory", "created_at"]
    raw_id_fields = ["community", "network", "territory", "created_by"]

    def policy_q(self, user) -> Q:
        return permissions.collection_visible_q(user)

    def may_change(self, user, obj) -> bool:
        return permissions.can_manage_collection(user, obj)

    # Not added here: made on the site, where the owner is chosen among those the person runs.


@admin.register(CommunityDocument)
class CommunityDocumentAdmin(PolicyAdmin):
    list_display = ["title", "community", "kind", "number", "date"]
    list_filter = ["kind"]
    raw_id_fields = ["community", "created_by"]

    def policy_q(self, user) -> Q:
        return permissions.documents_visible_q(user)

    def may_view(self, user, obj) -> bool:
        return permissions.can_view_document(user, obj)

    def may_change(self, user, obj) -> bool:
        return permissions.can_manage_documents(user, obj.community)

    # Not added here: added on the community's page, where the file is checked.
