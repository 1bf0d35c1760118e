"""Rating schemes in the admin, to look at: they are set on the school's page (services)."""

from django.contrib import admin

from .models import Criterion, RatingScheme


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["order", "measure", "weight", "cap"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RatingScheme)
class RatingSchemeAdmin(admin.ModelAdmin):
    list_display = ["organisation", "school_year", "updated_by", "updated_at"]
    list_filter = ["school_year"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation", "updated_by"]
    inlines = [CriterionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
