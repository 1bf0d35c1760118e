from django.contrib import admin

from . import permissions
from .models import Event, EventKind, ProgrammeItem, Registration


@admin.register(EventKind)
class EventKindAdmin(admin.ModelAdmin):
    """Kinds are data: the centre adds a kind (and its flags) without a release."""

    list_display = ["name", "code", "is_series", "has_protocol", "order"]
    list_editable = ["order"]


class ProgrammeInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    raw_id_fields = ["speaker"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "status", "audience"]
    list_filter = ["status", "kind", "audience"]
    list_select_related = ["kind"]
    search_fields = ["title"]
    raw_id_fields = [
        "organiser_community", "organiser_organisation", "organiser_network",
        "organiser_territory", "parent", "agenda_item", "responsible", "created_by",
    ]  # fmt: skip
    inlines = [ProgrammeInline]

    def has_add_permission(self, request):
        return False  # organised on the site, where the organiser and its territory are chosen

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.may_manage(request.user, obj)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "person", "status", "attended", "marked_by"]
    list_filter = ["status", "attended"]
    list_select_related = ["event", "person"]
    raw_id_fields = ["event", "person"]
