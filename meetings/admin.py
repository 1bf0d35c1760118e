from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import (
    Addendum,
    AgendaQuestion,
    Attachment,
    CalendarFeed,
    Decision,
    Meeting,
    MeetingChange,
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


@admin.register(MeetingChange)
class MeetingChangeAdmin(admin.ModelAdmin):
    """The record of moves and cancellations: read, never rewritten."""

    list_display = ["meeting", "kind", "at", "actor"]
    list_filter = ["kind"]
    list_select_related = ["meeting", "actor"]
    raw_id_fields = ["meeting", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    """Signed minutes are frozen: the admin shows them and never edits them."""

    list_display = ["community", "school_year", "number", "signed_by", "signed_at"]
    raw_id_fields = ["meeting", "community", "signed_by", "secretary"]

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


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["title", "decision", "plan_item", "uploaded_at"]
    raw_id_fields = ["decision", "plan_item", "uploaded_by"]
    # Files arrive only through attach(), which checks them; here they are only downloaded.
    exclude = ["file"]
    readonly_fields = ["download", "original_name"]

    @admin.display(description=_("file"))
    def download(self, obj):
        if not (obj and obj.file):
            return "—"
        url = reverse("meetings:attachment_file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name or obj.title)


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
