from django.contrib import admin

from . import permissions
from .models import Network, NetworkMembership, Organisation, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "country_code", "language"]
    list_filter = ["kind", "country_code", "language"]
    search_fields = ["name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.can_manage_territory(request.user, obj)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "territory",
        "low_results",
        "difficult_conditions",
        "high_results",
    ]
    list_filter = ["kind", "low_results", "difficult_conditions", "high_results"]
    search_fields = ["name", "short_name"]
    list_select_related = ["territory"]
    autocomplete_fields = ["territory"]
    list_per_page = 50

    def has_add_permission(self, request):
        return permissions.can_create_organisation(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.can_edit_organisation(request.user, obj)


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    autocomplete_fields = ["organisation"]
    extra = 0


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "lead_school", "territory"]
    search_fields = ["name"]
    list_select_related = ["lead_school", "territory"]
    autocomplete_fields = ["lead_school", "territory"]
    inlines = [NetworkMembershipInline]

    def has_add_permission(self, request):
        return permissions.can_create_network(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.can_edit_network(request.user, obj)


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(admin.ModelAdmin):
    list_display = ["network", "organisation", "role"]
    list_select_related = ["network", "organisation"]
    raw_id_fields = ["network", "organisation"]
