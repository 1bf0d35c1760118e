from django.contrib import admin

from . import permissions
from .models import (
    Addendum,
    AgendaQuestion,
    Attachment,
    CalendarFeed,
    Decision,
    Meeting,
    Minutes,
    Participant,
)


class QuestionInline(admin.TabularInline):
    model = AgendaQuestion
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "starts_at", "status"]
    list_filter = ["status"]
    list_select_related = ["community"]
    raw_id_fields = ["community", "planned", "chair", "created_by"]
    inlines = [QuestionInline]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.can_manage(request.user, obj)


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    """Signed minutes are frozen: the admin shows them and never edits them."""

    list_display = ["community", "school_year", "number", "signed_by", "signed_at"]
    raw_id_fields = ["meeting", "community", "signed_by"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["text", "community", "assignee", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["community", "assignee"]
    raw_id_fields = ["meeting", "question", "community", "assignee"]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return permissions.can_update_decision(request.user, obj)


admin.site.register(Addendum)
admin.site.register(Attachment)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["owner", "community", "created_at"]
    raw_id_fields = ["owner", "person", "community"]
    exclude = ["token"]  # a private key: not shown even to administrators


@admin.register(AgendaQuestion)
class AgendaQuestionAdmin(admin.ModelAdmin):
    list_display = ["meeting", "title"]
    raw_id_fields = ["meeting"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["meeting", "person", "is_guest", "reply", "attended"]
    list_select_related = ["meeting", "person"]
    raw_id_fields = ["meeting", "person"]
