from django.contrib import admin

from .models import Digest, Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "text", "delivery", "created_at", "emailed_at", "read_at"]
    list_filter = ["kind", "delivery"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    list_select_related = ["person"]
    raw_id_fields = ["person"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["recipient", "day", "items", "sent_at"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
