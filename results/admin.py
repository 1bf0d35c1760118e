from django.contrib import admin

from .models import AssessmentPeriod, GradingScale, InnovativeClass, ResultImport, ResultRow


@admin.register(GradingScale)
class GradingScaleAdmin(admin.ModelAdmin):
    list_display = ["country_code", "code", "name", "best_mark", "worst_mark", "is_default"]
    list_filter = ["country_code"]


@admin.register(AssessmentPeriod)
class AssessmentPeriodAdmin(admin.ModelAdmin):
    list_display = ["country_code", "code", "name", "kind", "number", "position"]
    list_filter = ["country_code", "kind"]


@admin.register(ResultImport)
class ResultImportAdmin(admin.ModelAdmin):
    list_display = ["organisation", "school_year", "original_name", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["organisation", "created_by", "period"]


@admin.register(ResultRow)
class ResultRowAdmin(admin.ModelAdmin):
    """Rows are written by the import only; here they are read."""

    list_display = ["organisation", "school_year", "period", "class_name", "subject", "teacher"]
    list_filter = ["school_year", "period"]
    raw_id_fields = ["organisation", "teacher", "source"]
    list_select_related = ["organisation", "period", "teacher"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InnovativeClass)
class InnovativeClassAdmin(admin.ModelAdmin):
    list_display = ["organisation", "school_year", "class_name", "subject", "innovation"]
    list_filter = ["school_year"]
    raw_id_fields = ["organisation", "community", "created_by"]
    list_select_related = ["organisation"]
