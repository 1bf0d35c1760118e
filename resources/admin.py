from django.contrib import admin

from . import permissions
from .models import Collection, CommunityDocument, Resource, ResourceKind


@admin.register(ResourceKind)
class ResourceKindAdmin(admin.ModelAdmin):
    """Kinds are data: the centre adds a kind without a release."""

    list_display = ["name", "code", "takes_link", "order"]
    list_editable = ["order"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "is_public", "published_at"]
    list_filter = ["status", "kind", "licence", "is_public"]
    list_select_related = ["kind"]
    search_fields = ["title", "topic"]
    raw_id_fields = ["community", "organisation", "territory", "created_by", "authors"]
    readonly_fields = ["status", "submitted_at", "published_at"]

    def has_add_permission(self, request):
        return False  # submitted on the site, where files are checked and reviews recorded

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return super().has_view_permission(request)
        return permissions.can_view(request.user, obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.moderates(request.user, obj)


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "territory", "created_at"]
    raw_id_fields = ["community", "network", "territory", "created_by"]


@admin.register(CommunityDocument)
class CommunityDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "kind", "number", "date"]
    list_filter = ["kind"]
    raw_id_fields = ["community", "created_by"]

    def has_add_permission(self, request):
        return False  # added on the community's page, where the file is checked
