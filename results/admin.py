from django.contrib import admin

from .models import (
    AssessmentKind,
    AssessmentPeriod,
    ExamImport,
    ExamResult,
    GradingScale,
    InnovativeClass,
    ResultImport,
    ResultRow,
)


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


@admin.register(AssessmentKind)
class AssessmentKindAdmin(admin.ModelAdmin):
    """Kinds are data per country; an administrator sets a kind's maximum and passing score."""

    list_display = ["country_code", "code", "name", "level", "max_score", "pass_score", "position"]
    list_editable = ["max_score", "pass_score"]
    list_filter = ["country_code", "level"]


@admin.register(ExamImport)
class ExamImportAdmin(admin.ModelAdmin):
    list_display = ["organisation", "school_year", "kind", "held_on", "original_name", "status"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["organisation", "created_by"]


@admin.register(ExamResult)
class ExamResultAdmin(admin.ModelAdmin):
    """Rows are written by the import only; here they are read."""

    list_display = ["organisation", "school_year", "kind", "held_on", "class_name", "subject"]
    list_filter = ["school_year", "kind"]
    raw_id_fields = ["organisation", "teacher", "source"]
    list_select_related = ["organisation", "kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
