from django.contrib import admin

from .models import CommunityPeriod


@admin.register(CommunityPeriod)
class CommunityPeriodAdmin(admin.ModelAdmin):
    """Read-only: the figures come from the aggregation, never typed in."""

    list_display = ("community", "kind", "start", "visitors", "views", "actions", "feedback")
    list_filter = ("kind",)
    list_select_related = ("community",)
    date_hierarchy = "start"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
