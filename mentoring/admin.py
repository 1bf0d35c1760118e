from django.contrib import admin

from .models import Analysis, Pair, Report, Session


@admin.register(Pair)
class PairAdmin(admin.ModelAdmin):
    list_display = ["community", "mentor", "mentee", "school_year", "status"]
    list_filter = ["kind", "status", "school_year"]
    raw_id_fields = ["community", "mentor", "mentee", "appointed_by"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["pair", "held_on", "form", "topic"]
    list_filter = ["form"]
    raw_id_fields = ["pair", "logged_by"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["pair", "side", "period", "status", "submitted_at"]
    list_filter = ["period", "status"]
    raw_id_fields = ["pair", "author", "seen_by"]


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    list_display = ["territory", "community", "school_year", "version"]
    raw_id_fields = ["territory", "community", "updated_by"]
