from django.contrib import admin

from . import permissions
from .models import Community, CommunityKind, GroupAdministrator, Membership, MembershipRequest


@admin.register(CommunityKind)
class CommunityKindAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "country",
        "name",
        "min_members",
        "max_members",
        "meeting_cadence",
        "plan_approver",
    ]

    list_filter = ["country"]

    def has_change_permission(self, request, obj=None):
        return permissions.can_edit_rules(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "status",
        "organisation",
        "network",
        "territory",
        "member_count",
    ]
    list_filter = ["kind", "status", "visibility"]
    search_fields = ["name"]
    list_select_related = ["kind", "organisation", "network", "territory"]
    autocomplete_fields = ["organisation", "network", "territory", "leader", "successor"]
    inlines = [MembershipInline]
    list_per_page = 50

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["community", "person", "role"]
    list_filter = ["role"]
    list_select_related = ["community", "person"]
    autocomplete_fields = ["community", "person"]
    search_fields = ["community__name", "person__search_name"]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.can_manage_members(request.user, obj.community)


@admin.register(MembershipRequest)
class MembershipRequestAdmin(admin.ModelAdmin):
    list_display = ["community", "person", "direction", "status", "created_at"]
    list_filter = ["direction", "status"]
    list_select_related = ["community", "person"]
    raw_id_fields = ["community", "person", "created_by", "decided_by"]


@admin.register(GroupAdministrator)
class GroupAdministratorAdmin(admin.ModelAdmin):
    list_display = ["community", "person", "position", "contact"]
    list_select_related = ["community", "person"]
    autocomplete_fields = ["community", "person"]
    search_fields = ["community__name", "person__search_name"]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.can_register_online_page(request.user, obj.community)
