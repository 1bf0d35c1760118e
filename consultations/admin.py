from django.contrib import admin

from .models import ConsultationRequest, ConsultationTopic, FaqEntry


@admin.register(ConsultationTopic)
class ConsultationTopicAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "order"]


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(admin.ModelAdmin):
    list_display = ["topic", "addressee", "status", "urgency", "created_at", "due_by"]
    list_filter = ["status", "addressee", "urgency", "topic"]
    raw_id_fields = ["asker", "organisation", "community", "responder", "taken_by", "territory"]
    readonly_fields = ["digest"]


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "topic", "published_at"]
    list_filter = ["topic"]
    raw_id_fields = ["source", "published_by"]
