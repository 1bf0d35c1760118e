from django.contrib import admin

from communities import permissions as community_permissions

from . import permissions
from .models import AgendaItem, ApprovalStep, Plan, PlannedMeeting, ResearchPlan, Target


@admin.register(ResearchPlan)
class ResearchPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "organisation", "start_year", "end_year"]
    raw_id_fields = ["network", "organisation"]
    search_fields = ["title", "theme"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class ApprovalStepInline(admin.TabularInline):
    model = ApprovalStep
    extra = 0
    readonly_fields = ["action", "actor", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["community", "school_year", "revision", "status"]
    list_filter = ["status", "school_year"]
    list_select_related = ["community"]
    raw_id_fields = ["community", "previous", "research_plan", "created_by"]
    inlines = [TargetInline, ApprovalStepInline]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.can_edit(request.user, obj)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return super().has_view_permission(request)
        return permissions.can_view(request.user, obj)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(PlannedMeeting)
class PlannedMeetingAdmin(admin.ModelAdmin):
    list_display = ["plan", "month", "title"]
    raw_id_fields = ["plan"]
    inlines = [AgendaItemInline]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return community_permissions.can_edit(request.user, obj.plan.community)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "plan", "target", "actual"]
    raw_id_fields = ["plan"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["action", "meeting", "done"]
    raw_id_fields = ["meeting"]


@admin.register(ApprovalStep)
class ApprovalStepAdmin(admin.ModelAdmin):
    list_display = ["plan", "action", "actor", "at"]
    raw_id_fields = ["plan", "actor"]

    def has_change_permission(self, request, obj=None):
        return False  # the approval record is history
